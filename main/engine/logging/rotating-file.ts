import { closeSync, fstatSync, mkdirSync, openSync, renameSync, unlinkSync, write, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export interface RotationOptions {
  /** Rotate before the file would grow past this many bytes (default 10 MB). */
  maxBytes?: number;
  /** Files kept, the current one included: `x.log`, `x.log.1` … `x.log.<maxFiles-1>` (default 5). */
  maxFiles?: number;
}

export const DEFAULT_ROTATION = { maxBytes: 10 * 1024 * 1024, maxFiles: 5 };

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
  private fd: number | null = null;
  private size = 0;
  private queue: Buffer[] = [];
  private writing = false;
  private waiters: (() => void)[] = [];
  private broken = false;

  constructor(
    readonly file: string,
    opts: RotationOptions = {},
  ) {
    this.maxBytes = Math.max(1024, Math.floor(opts.maxBytes ?? DEFAULT_ROTATION.maxBytes));
    this.maxFiles = Math.max(1, Math.floor(opts.maxFiles ?? DEFAULT_ROTATION.maxFiles));
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    this.open();
  }

  write(line: string): boolean {
    if (this.broken) return true;
    this.queue.push(Buffer.from(line));
    if (!this.writing) {
      this.writing = true;
      setImmediate(() => this.drain());
    }
    return true;
  }

  /** Calls back once everything written so far is on its way to disk. */
  flush(cb?: (err?: Error) => void): void {
    if (!this.writing && this.queue.length === 0) return void cb?.();
    this.waiters.push(() => cb?.());
  }

  /** Writes what is queued synchronously (exit paths). */
  flushSync(): void {
    while (this.queue.length && !this.broken) {
      const chunk = this.nextChunk();
      if (!chunk) continue;
      try {
        writeSync(this.fd!, chunk);
        this.size += chunk.length;
      } catch {
        this.fail();
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
    if (this.broken || this.queue.length === 0) {
      this.writing = false;
      const waiters = this.waiters.splice(0);
      for (const w of waiters) w();
      return;
    }
    const chunk = this.nextChunk();
    if (!chunk) return void setImmediate(() => this.drain());
    write(this.fd!, chunk, 0, chunk.length, null, (err, written) => {
      if (err) this.fail();
      else {
        this.size += written;
        // A short write (rare on files): put the rest back in front.
        if (written < chunk.length) this.queue.unshift(chunk.subarray(written));
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
   * engine down: the console and the UI's live log still get every line.
   */
  private fail(): void {
    this.broken = true;
    this.queue = [];
  }
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
