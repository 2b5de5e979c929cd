import type { Mode } from '../../../shared/dto/mode.js';
import type { Db } from './database.js';

/** What an exchange account held besides Pinebridge's own trades: per asset, and per contract position. */
export interface Baseline {
  takenAt: number;
  balances: Record<string, number>;
  positions: Record<string, number>;
}

/** The recon_baselines table (migration 3): one baseline per account, mode and exchange. */
export class BaselineStore {
  constructor(private readonly db: Db) {}

  get(account: string, mode: Mode, exchange: string): Baseline | null {
    const row = this.db.prepare(`SELECT taken_at, assets FROM recon_baselines WHERE account = ? AND mode = ? AND exchange = ?`).get(account, mode, exchange) as
      | { taken_at: number; assets: string }
      | undefined;
    if (!row) return null;
    const a = JSON.parse(row.assets) as { balances?: Record<string, number>; positions?: Record<string, number> };
    return { takenAt: row.taken_at, balances: a.balances ?? {}, positions: a.positions ?? {} };
  }

  set(account: string, mode: Mode, exchange: string, b: Baseline): void {
    this.db
      .prepare(
        `INSERT INTO recon_baselines (account, mode, exchange, taken_at, assets) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (account, mode, exchange) DO UPDATE SET taken_at = excluded.taken_at, assets = excluded.assets`,
      )
      .run(account, mode, exchange, b.takenAt, JSON.stringify({ balances: b.balances, positions: b.positions }));
  }
}
