/**
 * The data dir's disk, watched so Pinebridge never acknowledges what it cannot carry out. Two
 * reasons make the disk "full": a write failed (ENOSPC, EIO, a read-only filesystem, SQLite's
 * FULL / IOERR / READONLY), or the free space fell below the reserve (`disk.minFreeMb`) kept so
 * the executor can always finish what was acknowledged. New alerts are refused (503) while it
 * lasts; the state is a cached value (statfs on a timer and right after a write error), so the
 * intake's hot path only reads a field.
 */
import { closeSync, fsyncSync, openSync, statfs, statfsSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export interface DiskState {
  full: boolean;
  /** Why, for the operator ("disk full: …"), or null. */
  problem: string | null;
  /** Free bytes for this user at the last look, or null before the first. */
  freeBytes: number | null;
}

export interface DiskGuardOptions {
  dir: string;
  /** Below this many free bytes new alerts are refused. */
  floorBytes: number;
  /** How often free space is read (default 2 s). */
  intervalMs?: number;
  onChange?: (state: DiskState) => void;
  /**
   * Gives back space Pinebridge itself holds (the journal's WAL, which is only recycled by a
   * checkpoint that needs room in the database file): called before each look while the disk is
   * full or close to the reserve.
   */
  reclaim?: () => void;
}

/** Within this much of the reserve the journal's WAL is folded back on every look. */
const TIGHT_MARGIN_BYTES = 16 * 1024 * 1024;

const SQLITE_DISK = /^SQLITE_(FULL|IOERR|READONLY|CANTOPEN)/;
const ERRNO_DISK = new Set(['ENOSPC', 'EIO', 'EROFS', 'EDQUOT', 'EFBIG']);

/** A failure of the disk under the data dir (not a bug, not a constraint): retry once it recovers. */
export function isDiskError(e: unknown): boolean {
  const code = String((e as { code?: unknown } | null)?.code ?? '');
  return SQLITE_DISK.test(code) || ERRNO_DISK.has(code);
}

function describe(e: unknown): string {
  const code = String((e as { code?: unknown } | null)?.code ?? '');
  const msg = e instanceof Error ? e.message.split('\n')[0]! : String(e);
  return code && !msg.includes(code) ? `${msg} (${code})` : msg;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export class DiskGuard {
  private writeError: string | null = null;
  private freeBytes: number | null = null;
  private state: DiskState = { full: false, problem: null, freeBytes: null };
  private timer: NodeJS.Timeout | null = null;
  private refreshing = false;
  private readonly recovered = new Set<() => void>();

  constructor(private readonly o: DiskGuardOptions) {}

  start(): void {
    this.refresh();
    this.timer = setInterval(() => this.refresh(), this.o.intervalMs ?? 2000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** For the intake, per request: null, or why a new alert is not taken now. */
  refusal(): string | null {
    return this.state.problem;
  }

  current(): DiskState {
    return { ...this.state };
  }

  /** Called when the disk works again; returns an unsubscribe function. */
  onRecovered(fn: () => void): () => void {
    this.recovered.add(fn);
    return () => this.recovered.delete(fn);
  }

  /** A write failed: true (and the disk is full until it recovers) when the disk is the cause. */
  writeFailed(e: unknown): boolean {
    if (!isDiskError(e)) return false;
    if (this.writeError === null) {
      this.writeError = `disk full: a journal write failed (${describe(e)})`;
      this.update();
    }
    this.refresh();
    return true;
  }

  /** Reads the free space (async), and after a write error probes whether writing works again. */
  private refresh(): void {
    if (this.refreshing) return;
    this.refreshing = true;
    statfs(this.o.dir, (err, st) => {
      this.refreshing = false;
      if (err) return; // the data dir is gone: the next write says so
      this.freeBytes = st.bavail * st.bsize;
      if (this.o.reclaim && (this.writeError !== null || this.freeBytes < this.o.floorBytes + TIGHT_MARGIN_BYTES)) {
        try {
          this.o.reclaim();
        } catch {
          // no room even for that yet: the next look tries again
        }
        const after = statfsSync(this.o.dir);
        this.freeBytes = after.bavail * after.bsize;
      }
      if (this.writeError !== null && this.freeBytes >= this.o.floorBytes && this.probe()) this.writeError = null;
      this.update();
    });
  }

  /** A small durable write in the data dir: the filesystem takes writes again (space, or read-write again). */
  private probe(): boolean {
    const path = join(this.o.dir, `.disk-probe-${process.pid}`);
    let fd: number | null = null;
    try {
      fd = openSync(path, 'w', 0o600);
      writeSync(fd, Buffer.alloc(64 * 1024));
      fsyncSync(fd);
      return true;
    } catch {
      return false;
    } finally {
      if (fd !== null) closeSync(fd);
      try {
        unlinkSync(path);
      } catch {
        // not created
      }
    }
  }

  private update(): void {
    const low = this.freeBytes !== null && this.freeBytes < this.o.floorBytes;
    const problem =
      this.writeError ??
      (low ? `disk full: ${mb(this.freeBytes!)} free in the data dir, below the ${mb(this.o.floorBytes)} kept for orders already taken (disk.minFreeMb)` : null);
    const was = this.state.full;
    this.state = { full: problem !== null, problem, freeBytes: this.freeBytes };
    if (was === this.state.full) return;
    this.o.onChange?.(this.current());
    if (!this.state.full) for (const fn of [...this.recovered]) fn();
  }
}
