import Database from 'better-sqlite3';
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildTradeExport, parseTime, toCsv, toJson, type ExportFormat } from '../engine/ops/export-trades.js';
import { dataPaths } from '../engine/core/paths.js';
import { commonOptions, databaseUrlFrom, dataDirFrom, parse, usage } from './options.js';
import { PgDb } from '../engine/journal/pg-store.js';
import type { Db } from '../engine/journal/database.js';

const EXPORT_HELP = `Usage: pinebridge export trades [--from DATE] [--to DATE] [--format csv|json] [--out FILE]
                                [--summary] [--mode paper|testnet|live] [--strategy NAME] [--data-dir DIR]

Every fill in the range with its fee, the realized P&L it made (average cost per strategy and
symbol), and the alert's signal price next to the fill price (slippage; positive = worse).
DATE: 2026-01-31 (UTC; --to includes that day), 2026-01-31T12:00:00Z, or epoch ms.
--format json also gives the P&L per strategy; --summary gives that table as CSV.
Without --out the export is written to stdout. Safe while the server runs (read-only).
`;

/** `pinebridge export trades …`: fills, fees, P&L per strategy and slippage, as CSV or JSON. */
export async function runExport(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values, positionals } = parse(argv, {
    ...commonOptions,
    from: { type: 'string' },
    to: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string', short: 'o' },
    summary: { type: 'boolean' },
    mode: { type: 'string' },
    strategy: { type: 'string' },
    account: { type: 'string' },
  });
  if (values.help) {
    process.stdout.write(EXPORT_HELP);
    return 0;
  }
  if (positionals[0] !== 'trades' || positionals.length !== 1) throw usage('export what? pinebridge export trades [--from DATE] [--to DATE] [--format csv|json]');
  const format = (values.format ?? 'csv') as ExportFormat;
  if (format !== 'csv' && format !== 'json') throw usage(`--format must be csv or json, got ${JSON.stringify(values.format)}`);
  const time = (v: string | undefined, edge: 'from' | 'to') => {
    if (v === undefined) return undefined;
    try {
      return parseTime(v, edge);
    } catch (e) {
      throw usage(`--${edge}: ${(e as Error).message}`);
    }
  };
  const from = time(values.from, 'from');
  const to = time(values.to, 'to');
  if (from !== undefined && to !== undefined && to <= from) throw usage('--to must be after --from');

  const paths = dataPaths(dataDirFrom(values['data-dir'], env));
  const databaseUrl = databaseUrlFrom(values.database, env);
  if (!databaseUrl && !existsSync(paths.journal)) throw Object.assign(new Error(`There is no journal at ${paths.journal}.`), { code: 'no_journal' });
  const db: Db = databaseUrl ? new PgDb(databaseUrl) : readOnlySqlite(paths.journal);
  let text: string;
  let count: number;
  try {
    const x = db.transaction(() => buildTradeExport(db, { from, to, mode: values.mode, strategy: values.strategy, account: values.account }, Date.now()))();
    count = values.summary ? x.strategies.length : x.trades.length;
    text = format === 'json' ? toJson(x) : toCsv(x, values.summary === true);
  } finally {
    db.close();
  }
  if (values.out) {
    const out = resolve(values.out);
    writeFileSync(out, text, { mode: 0o600 });
    process.stderr.write(`Wrote ${count} ${values.summary ? 'strategies' : 'fills'} to ${out}\n`);
  } else process.stdout.write(text);
  return 0;
}

function readOnlySqlite(path: string): Db {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  return db;
}
