/**
 * `<data-dir>/risk-state.json`: the kill switch and the open circuit breakers, written atomically
 * on every change, so a restart (a crash, a reboot, an update) never resumes trading by itself.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { persistedBreakerSchema, persistedTradingSchema, type PersistedBreaker, type PersistedTrading, type RiskStore } from './risk-store.js';

const fileSchema = z.object({
  trading: persistedTradingSchema.optional(),
  breakers: z.record(z.string(), persistedBreakerSchema).default({}),
});

type RiskStateData = z.output<typeof fileSchema>;

export class RiskStateFile implements RiskStore {
  private data: RiskStateData;
  /** Set when the file existed but could not be read: callers start halted rather than guess. */
  readonly unreadable: string | null = null;

  /** Told when the file could not be written (the state still holds in memory until the restart). */
  onWriteError: ((message: string, error: unknown) => void) | null = null;
  /** Why the state in memory is not on disk (the last write failed), or null when it is. */
  unsaved: string | null = null;

  constructor(private readonly path: string | null) {
    this.data = { breakers: {} };
    if (!path || !existsSync(path)) return;
    try {
      this.data = fileSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
    } catch (e) {
      this.unreadable = `${path} could not be read (${(e as Error).message.split('\n')[0]})`;
    }
  }

  trading(): PersistedTrading | null {
    return this.data.trading ?? null;
  }

  breakers(): Record<string, PersistedBreaker> {
    return { ...this.data.breakers };
  }

  /** False when it could not be written (it holds in memory; `retryUnsaved` writes it later). */
  saveTrading(t: PersistedTrading): boolean {
    this.data.trading = t;
    return this.write();
  }

  /** Writes the state again if the last write failed (the disk has room again). */
  retryUnsaved(): void {
    if (this.unsaved !== null) this.write();
  }

  /** Only breakers that are not closed are kept; null forgets the account's. */
  saveBreaker(account: string, b: PersistedBreaker | null): void {
    if (b && b.state !== 'closed') this.data.breakers[account] = b;
    else delete this.data.breakers[account];
    this.write();
  }

  /** Never throws: a full disk must not break the execution that tripped a breaker. */
  private write(): boolean {
    if (!this.path) return true;
    try {
      const tmp = `${this.path}.tmp-${process.pid}`;
      writeFileSync(tmp, JSON.stringify(this.data, null, 2) + '\n', { mode: 0o600 });
      renameSync(tmp, this.path);
      this.unsaved = null;
      return true;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      this.unsaved = code === 'ENOSPC' || code === 'EDQUOT' ? 'disk full' : `${(e as Error).message.split('\n')[0]}`;
      this.onWriteError?.(`${this.path} could not be written (${(e as Error).message}): the state holds until the next restart only`, e);
      return false;
    }
  }
}
