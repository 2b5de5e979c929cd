import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import pino, { type Logger, type StreamEntry } from 'pino';
import type { LogEntryDto, LogLevel } from '../../../shared/dto/logs.js';
import { SECRET_LOG_PATHS, type Redactor } from './redactor.js';
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
 * pino to the console and a file, with secrets redacted twice: by key (`secret`, `apiKey`…) and
 * by value (any registered secret appearing inside a message or a field).
 */
export function createLogger(opts: LoggerOptions): Logger {
  const streams: StreamEntry[] = [];
  const level = opts.level ?? 'info';
  const consoleOut = opts.console === undefined ? process.stdout : opts.console;
  if (consoleOut) {
    streams.push({
      level,
      stream: opts.json ? consoleOut : { write: (line: string) => consoleOut.write(humanLine(line)) },
    });
  }
  if (opts.file) {
    mkdirSync(dirname(opts.file), { recursive: true, mode: 0o700 });
    streams.push({ level, stream: new RotatingFile(opts.file, opts.rotation) });
  }
  if (opts.onEntry) {
    const onEntry = opts.onEntry;
    streams.push({ level, stream: { write: (line: string) => onEntry(toEntry(line)) } });
  }
  const redactor = opts.redactor;
  return pino(
    {
      level,
      base: undefined,
      redact: { paths: SECRET_LOG_PATHS, censor: '[redacted]' },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((a) => (typeof a === 'string' ? redactor.scrub(a) : redactor.scrubValue(a)));
          return method.apply(this, scrubbed as Parameters<typeof method>);
        },
      },
    },
    streams.length ? pino.multistream(streams) : pino.destination('/dev/null'),
  );
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

function humanLine(line: string): string {
  try {
    const e = toEntry(line);
    const t = new Date(e.time).toISOString().slice(11, 23);
    const extra = { ...(e.data ?? {}), ...(e.strategy ? { strategy: e.strategy } : {}), ...(e.alertId ? { alertId: e.alertId } : {}) };
    const kv = Object.entries(extra)
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(' ');
    return `${t} ${e.level.toUpperCase().padEnd(5)} ${e.msg}${kv ? '  ' + kv : ''}\n`;
  } catch {
    return line;
  }
}
