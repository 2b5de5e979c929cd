import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import pino, { type Logger } from 'pino';
import type { LogEntryDto, LogLevel } from '../../../../shared/dto/logs.js';
import type { Redactor } from './redactor.js';
import { RotatingFile, type RotationOptions } from './rotating-file.js';

export type { Logger } from 'pino';

export interface LoggerOptions {
  level?: LogLevel;
  /** One JSON object per line on stdout instead of human-readable lines. */
  json?: boolean;
  /** Log file (JSON lines), usually `<data-dir>/logs/pinebridge.log`. */
  file?: string | null;
  /** Size-based rotation of `file` (default 10 MB x 5 files). */
  rotation?: RotationOptions;
  /** Where console lines go (default stdout); tests pass their own. */
  console?: NodeJS.WritableStream | null;
  redactor: Redactor;
  /** Every entry, already redacted, for the UI's live log. */
  onEntry?: (entry: LogEntryDto) => void;
}

const LEVEL_NAMES: Record<number, LogLevel> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };

/**
 * pino to the console and a file, with secrets redacted by key (`secret`, `apiKey`… at any
 * depth) and by value (any registered secret inside a message or a field). Each line is
 * scrubbed once (before pino formats it), serialized once, and parsed at most once for the
 * human console line and the UI's entry together.
 */
export function createLogger(opts: LoggerOptions): Logger {
  const level = opts.level ?? 'info';
  const consoleOut = opts.console === undefined ? process.stdout : opts.console;
  const file = opts.file ? openFile(opts.file, opts.rotation) : null;
  const human = consoleOut && !opts.json ? consoleOut : null;
  const raw = consoleOut && opts.json ? consoleOut : null;
  const onEntry = opts.onEntry;
  const out = {
    write(line: string): void {
      file?.write(line);
      raw?.write(line);
      if (!human && !onEntry) return;
      const entry = parseEntry(line);
      if (human) human.write(entry ? humanLine(entry) : line);
      if (entry && onEntry) onEntry(entry);
    },
    // pino's flush() and its exit path.
    flush(cb?: (err?: Error) => void): void {
      if (file) file.flush(cb);
      else cb?.();
    },
    flushSync(): void {
      file?.flushSync();
    },
  };
  const redactor = opts.redactor;
  return pino(
    {
      level,
      base: undefined,
      hooks: {
        logMethod(args, method) {
          // scrubValue also drops secret-named keys at any depth (what pino's `redact` paths did for two).
          const scrubbed = args.map((a) => (typeof a === 'string' ? redactor.scrub(a) : redactor.scrubValue(a)));
          return method.apply(this, scrubbed as Parameters<typeof method>);
        },
      },
    },
    consoleOut || file || onEntry ? out : pino.destination('/dev/null'),
  );
}

function openFile(path: string, rotation: RotationOptions | undefined): RotatingFile {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  return new RotatingFile(path, rotation);
}

function parseEntry(line: string): LogEntryDto | null {
  try {
    return toEntry(line);
  } catch {
    return null;
  }
}

function toEntry(line: string): LogEntryDto {
  const o = JSON.parse(line) as Record<string, unknown>;
  const { level, time, msg, strategy, alertId, ...rest } = o;
  const entry: LogEntryDto = {
    time: typeof time === 'number' ? time : Date.now(),
    level: LEVEL_NAMES[level as number] ?? 'info',
    msg: typeof msg === 'string' ? msg : '',
  };
  if (typeof strategy === 'string') entry.strategy = strategy;
  if (typeof alertId === 'string') entry.alertId = alertId;
  if (Object.keys(rest).length) entry.data = rest;
  return entry;
}

function humanLine(e: LogEntryDto): string {
  const t = new Date(e.time).toISOString().slice(11, 23);
  const extra = { ...(e.data ?? {}), ...(e.strategy ? { strategy: e.strategy } : {}), ...(e.alertId ? { alertId: e.alertId } : {}) };
  const kv = Object.entries(extra)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  return `${t} ${e.level.toUpperCase().padEnd(5)} ${e.msg}${kv ? '  ' + kv : ''}\n`;
}
