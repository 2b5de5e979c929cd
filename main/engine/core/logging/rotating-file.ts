import { closeSync, fstatSync, mkdirSync, openSync, renameSync, unlinkSync, write, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export interface RotationOptions {
  /** Rotate before the file would grow past this many bytes (default 10 MB). */
  maxBytes?: number;
  /** Files kept, the current one included: `x.log`, `x.log.1` … `x.log.<maxFiles-1>` (default 5). */
  maxFiles?: number;
  /** Writes held in memory while the file cannot be written; beyond it lines are dropped and counted (default 10 000). */
  maxHeld?: number;
}

export const DEFAULT_ROTATION = { maxBytes: 10 * 1024 * 1024, maxFiles: 5 };

/** How long the file is left alone after a failed write before the next try. */
const RETRY_AFTER_FAILURE_MS = 2000;
/** Writes kept in memory while the file cannot be written. */
const MAX_HELD = 10_000;

/**
 * A pino destination (JSON lines) that rotates by size: before a line would take `x.log` past
 * `maxBytes`, it becomes `x.log.1` (older ones shift, the oldest is dropped) and a new `x.log`
 * starts. Lines arriving in one event-loop turn are written with one asynchronous write, so
 * logging never blocks intake; the size is checked where the bytes are written, so a burst
 * cannot overshoot. A line is never split across files.
 */
export class RotatingFile {
  private readonly maxBytes: number;
  private readonly maxFiles: number;
  private readonly maxHeld: number;
  private fd: number | null = null;
  private size = 0;
  private queue: Buffer[] = [];
  private writing = false;
  private waiters: (() => void)[] = [];
  /** Set by `end()`: nothing is written any more. */
  private broken = false;
  /** After a failed write (disk full): lines are dropped, counted, until this time, then writing is tried again. */
  private suspendedUntil: number | null = null;
  private dropped = 0;
  /** The last write was short: the file ends inside a line until the rest is written. */
  private midLine = false;
  /** That rest was lost: the file holds half a line. */
  private brokenLine = false;

  constructor(
    readonly file: string,
    opts: RotationOptions = {},
  ) {
    this.maxBytes = Math.max(1024, Math.floor(opts.maxBytes ?? DEFAULT_ROTATION.maxBytes));
    this.maxFiles = Math.max(1, Math.floor(opts.maxFiles ?? DEFAULT_ROTATION.maxFiles));
    this.maxHeld = Math.max(1, Math.floor(opts.maxHeld ?? MAX_HELD));
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    this.open();
  }

  write(line: string): boolean {
    if (this.broken) return true;
    if (this.suspendedUntil !== null) {
      if (Date.now() < this.suspendedUntil) {
        // Held for the next try (a freed disk gets them), up to a bound; beyond it dropped and counted.
        if (this.queue.length < this.maxHeld) this.queue.push(Buffer.from(line));
        else this.dropped++;
        return true;
      }
      this.resume();
    }
    this.queue.push(Buffer.from(line));
    if (!this.writing) {
      this.writing = true;
      setImmediate(() => this.drain());
    }
    return true;
  }

  /** Calls back once everything written so far is on its way to disk. */
  flush(cb?: (err?: Error) => void): void {
    // While suspended nothing is on its way: held lines wait for the next try.
    if (!this.writing && (this.queue.length === 0 || this.suspendedUntil !== null)) return void cb?.();
    this.waiters.push(() => cb?.());
  }

  /** Writes what is queued synchronously (exit paths). */
  flushSync(): void {
    while (this.queue.length && !this.broken && this.suspendedUntil === null) {
      const chunk = this.nextChunk();
      if (!chunk) continue;
      try {
        writeSync(this.fd!, chunk);
        this.size += chunk.length;
      } catch {
        this.fail(chunk);
      }
    }
  }

  end(): void {
    this.flushSync();
    if (this.fd !== null) closeQuietly(this.fd);
    this.fd = null;
    this.broken = true;
  }

  private drain(): void {
    if (this.broken || this.suspendedUntil !== null || this.queue.length === 0) {
      this.writing = false;
      const waiters = this.waiters.splice(0);
      for (const w of waiters) w();
      return;
    }
    const chunk = this.nextChunk();
    if (!chunk) return void setImmediate(() => this.drain());
    write(this.fd!, chunk, 0, chunk.length, null, (err, written) => {
      if (err) this.fail(chunk);
      else {
        this.size += written;
        // A short write (a disk filling up): put the rest back in front.
        this.midLine = written < chunk.length;
        if (this.midLine) this.queue.unshift(chunk.subarray(written));
      }
      this.drain();
    });
  }

  /** Lines from the queue that fit in the current file; rotates (and returns null) when none does. */
  private nextChunk(): Buffer | null {
    const take: Buffer[] = [];
    let bytes = 0;
    while (this.queue.length) {
      const next = this.queue[0]!;
      const fits = this.size + bytes + next.length <= this.maxBytes;
      // A file always takes at least one line, however long.
      if (!fits && (this.size > 0 || take.length > 0)) break;
      take.push(this.queue.shift()!);
      bytes += next.length;
    }
    if (take.length === 0) {
      this.rotate();
      return null;
    }
    return take.length === 1 ? take[0]! : Buffer.concat(take, bytes);
  }

  private open(): void {
    try {
      this.fd = openSync(this.file, 'a', 0o600);
      this.size = fstatSync(this.fd).size;
    } catch {
      this.fail();
    }
  }

  private rotate(): void {
    if (this.fd !== null) closeQuietly(this.fd);
    this.fd = null;
    const name = (i: number) => (i === 0 ? this.file : `${this.file}.${i}`);
    removeQuietly(name(this.maxFiles - 1));
    for (let i = this.maxFiles - 2; i >= 0; i--) renameQuietly(name(i), name(i + 1));
    this.open();
  }

  /**
   * A log file that cannot be written (disk full, data dir removed under us) must never take the
   * engine down: the console and the UI's live log still get every line. The lines that failed
   * and the new ones are held (up to a bound; beyond it dropped and counted) for a few seconds,
   * then writing is tried again: a freed disk gets its log back, without a gap, without a restart.
   * (A line that says "disk writable again" is often written just as the disk fills once more.)
   */
  private fail(unwritten?: Buffer): void {
    if (unwritten) {
      // The lines that failed are the oldest: held first, for the next try, like the new ones.
      if (this.queue.length < this.maxHeld) this.queue.unshift(unwritten);
      else {
        this.dropped += countLines(unwritten);
        // A short write before the failure left half a line in the file: the next line starts anew.
        if (this.midLine) this.brokenLine = true;
        this.midLine = false;
      }
    }
    if (this.queue.length > this.maxHeld) for (const b of this.queue.splice(this.maxHeld)) this.dropped += countLines(b);
    this.suspendedUntil = Date.now() + RETRY_AFTER_FAILURE_MS;
    // Lines held now must not wait for a later line to be written.
    setTimeout(() => this.retryHeld(), RETRY_AFTER_FAILURE_MS).unref();
  }

  private retryHeld(): void {
    if (this.broken || this.suspendedUntil === null) return;
    // A timer can fire before Date.now() reaches its time (Node counts it from the loop's cached
    // clock, stale after a long busy turn): try again then, or held lines wait for a later line
    // that may never come (a quiet engine after the disk recovered kept its log file stuck).
    const early = this.suspendedUntil - Date.now();
    if (early > 0) return void setTimeout(() => this.retryHeld(), early).unref();
    this.resume();
    if (this.suspendedUntil !== null || this.writing || this.queue.length === 0) return;
    this.writing = true;
    setImmediate(() => this.drain());
  }

  private resume(): void {
    this.suspendedUntil = null;
    if (this.fd === null) this.open();
    if (this.suspendedUntil !== null) return; // still cannot open it
    if (this.dropped > 0) {
      const line = { level: 40, time: Date.now(), msg: `${this.dropped} log line(s) were not written to this file while it could not be written (disk full?)` };
      // After the rest of a line the file is in the middle of, never inside it.
      this.queue.splice(this.midLine ? 1 : 0, 0, Buffer.from((this.brokenLine ? '\n' : '') + JSON.stringify(line) + '\n'));
      this.dropped = 0;
      this.brokenLine = false;
    }
  }
}

function countLines(b: Buffer): number {
  let n = 0;
  for (let i = b.indexOf(10); i !== -1; i = b.indexOf(10, i + 1)) n++;
  return Math.max(n, 1);
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // not there
  }
}

function renameQuietly(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch {
    // not there
  }
}
