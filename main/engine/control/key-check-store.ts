/**
 * Which stored keys passed a check, per account and mode, in `<data-dir>/key-checks.json` (no
 * secret in it: the outcome, when, and the sentence shown). Saving new keys forgets their check:
 * they are unchecked until a check passes.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { KeyCheckOutcome, KeyCheckStateDto } from '../../../shared/dto/accounts.js';

type Entry = NonNullable<KeyCheckStateDto['last']>;

export class KeyCheckStore {
  private data: Record<string, Entry> = {};

  constructor(private readonly path: string | null) {
    if (!path || !existsSync(path)) return;
    try {
      const parsed = JSON.parse(readFileSync(path, 'utf8')) as unknown;
      if (parsed && typeof parsed === 'object') this.data = parsed as Record<string, Entry>;
    } catch {
      // An unreadable file: every key shows unchecked until checked again, which is the safe side.
    }
  }

  get(account: string, mode: string): KeyCheckStateDto {
    const last = this.data[`${account}:${mode}`] ?? null;
    const state = last?.outcome === 'passed' ? 'passed' : last?.outcome === 'warning' ? 'warning' : 'unchecked';
    return { state, last };
  }

  record(account: string, mode: string, outcome: KeyCheckOutcome, message: string, at: number): void {
    this.data[`${account}:${mode}`] = { outcome, at, message };
    this.write();
  }

  forget(account: string, mode: string): void {
    delete this.data[`${account}:${mode}`];
    this.write();
  }

  private write(): void {
    if (!this.path) return;
    try {
      const tmp = `${this.path}.tmp-${process.pid}`;
      writeFileSync(tmp, JSON.stringify(this.data, null, 2) + '\n', { mode: 0o600 });
      renameSync(tmp, this.path);
    } catch {
      // Not saved: the state holds in memory; a restart shows the keys unchecked (the safe side).
    }
  }
}
