/**
 * Retention: alerts and events older than the retention are deleted; orders, fills and positions
 * never are. An alert is kept, whatever its age, while anything references it (an order intent,
 * or any other table with a foreign key to it) or while it still waits for execution.
 */
import type { Db } from '../journal/database.js';
import { sqliteHandle } from '../journal/sql-port.js';

export interface PruneResult {
  alerts: number;
  events: number;
}

/** Tables never pruned, whatever they hold. */
export const NEVER_PRUNED = ['order_intents', 'fills', 'positions'] as const;

const DAY_MS = 24 * 60 * 60 * 1000;

interface ForeignKey {
  name: string;
  from: string;
  to: string | null;
}

/** Every foreign key pointing at `table`: SQLite's pragma per table, PostgreSQL's catalog in one query. */
function foreignKeysTo(db: Db, table: string): ForeignKey[] {
  const sqlite = sqliteHandle(db);
  if (!sqlite) {
    return db
      .prepare(
        `SELECT c.conrelid::regclass::text AS name, a.attname AS "from", af.attname AS "to" FROM pg_constraint c
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
         JOIN pg_attribute af ON af.attrelid = c.confrelid AND af.attnum = c.confkey[1]
         WHERE c.contype = 'f' AND c.confrelid = to_regclass(?)`,
      )
      .all(table) as ForeignKey[];
  }
  const tables = sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).all() as { name: string }[];
  const keys: ForeignKey[] = [];
  for (const { name } of tables) {
    const fks = sqlite.pragma(`foreign_key_list(${quoteId(name)})`) as { table: string; from: string; to: string | null }[];
    for (const fk of fks) if (fk.table === table) keys.push({ name, from: fk.from, to: fk.to });
  }
  return keys;
}

/** `NOT EXISTS` guards for every foreign key in the schema that points at `table`. */
function referenceGuards(db: Db, table: string, alias: string): string[] {
  return foreignKeysTo(db, table).map(
    (fk) => `NOT EXISTS (SELECT 1 FROM ${quoteId(fk.name)} r WHERE r.${quoteId(fk.from)} = ${alias}.${quoteId(fk.to ?? 'rowid')})`,
  );
}

function quoteId(id: string): string {
  return '"' + id.replace(/"/g, '""') + '"';
}

/**
 * Deletes at most `batch` alerts and `batch` events received before `cutoff` (epoch ms), in one
 * short transaction so intake is never held up for long. Call until it returns zeros.
 */
export function pruneBatch(db: Db, cutoff: number, batch = 2000): PruneResult {
  const alertGuards = referenceGuards(db, 'alerts', 'a');
  const eventGuards = referenceGuards(db, 'events', 'e');
  const alertWhere = [`a.received_at < @cutoff`, `a.status NOT IN ('accepted', 'executing')`, ...alertGuards].join(' AND ');
  const eventWhere = [`e.ts < @cutoff`, ...eventGuards].join(' AND ');
  return db.transaction(() => {
    const alerts = db
      .prepare(`DELETE FROM alerts WHERE seq IN (SELECT a.seq FROM alerts a WHERE ${alertWhere} ORDER BY a.seq LIMIT @batch)`)
      .run({ cutoff, batch }).changes;
    const events = db
      .prepare(`DELETE FROM events WHERE seq IN (SELECT e.seq FROM events e WHERE ${eventWhere} ORDER BY e.seq LIMIT @batch)`)
      .run({ cutoff, batch }).changes;
    return { alerts, events };
  })();
}

/** Prunes everything older than `days` before `now`, in batches, yielding to the event loop between them. */
export async function pruneJournal(db: () => Db | null, days: number, now: number, batch = 2000): Promise<PruneResult> {
  const cutoff = now - days * DAY_MS;
  const total: PruneResult = { alerts: 0, events: 0 };
  for (;;) {
    const d = db();
    if (!d || !d.open) return total;
    const r = pruneBatch(d, cutoff, batch);
    total.alerts += r.alerts;
    total.events += r.events;
    if (r.alerts < batch && r.events < batch) return total;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

export interface RetentionScheduler {
  /** Resolves when the current run (if any) ends. */
  stop(): Promise<void>;
  /** Runs a prune now (start-up, tests). */
  runNow(): Promise<PruneResult>;
}

/** Prunes on start and then every `intervalMs` (a day). Timers never keep the process alive. */
export function startRetention(opts: {
  db: () => Db | null;
  days: number;
  now: () => number;
  onPruned: (r: PruneResult, cutoff: number) => void;
  onError: (e: unknown) => void;
  intervalMs?: number;
}): RetentionScheduler {
  let running: Promise<PruneResult> | null = null;
  let stopped = false;
  const runNow = (): Promise<PruneResult> => {
    if (running) return running;
    const now = opts.now();
    running = pruneJournal(opts.db, opts.days, now)
      .then((r) => {
        opts.onPruned(r, now - opts.days * DAY_MS);
        return r;
      })
      .catch((e) => {
        opts.onError(e);
        return { alerts: 0, events: 0 };
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
  const timer = setInterval(() => {
    if (!stopped) void runNow();
  }, opts.intervalMs ?? DAY_MS);
  timer.unref();
  const first = setImmediate(() => {
    if (!stopped) void runNow();
  });
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      clearImmediate(first);
      if (running) await running;
    },
    runNow,
  };
}
