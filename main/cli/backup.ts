import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { acquireLock, lockOwner } from '../engine/core/lock.js';
import { backupJournal, restoreJournal, stamp, type JournalFileInfo } from '../engine/ops/backup.js';
import { backupPostgres, restorePostgres, type PgDumpInfo } from '../engine/ops/pg-backup.js';
import { maskDatabaseUrl } from '../engine/journal/database-url.js';
import { dataPaths } from '../engine/core/paths.js';
import { commonOptions, databaseUrlFrom, dataDirFrom, parse, usage } from './options.js';

/** `pinebridge backup [file] [--force]`: a consistent copy of the journal, also while the server runs. */
export async function runBackup(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values, positionals } = parse(argv, { ...commonOptions, force: { type: 'boolean' } });
  if (values.help) return help(BACKUP_HELP);
  if (positionals.length > 1) throw usage('backup takes one file name');
  const databaseUrl = databaseUrlFrom(values.database, env);
  const paths = dataPaths(dataDirFrom(values['data-dir'], env));
  const name = `journal-${stamp(new Date())}.${databaseUrl ? 'pgdump' : 'sqlite'}`;
  let dest = positionals[0] ? resolve(positionals[0]) : join(paths.backups, name);
  if (existsSync(dest) && statSync(dest).isDirectory()) dest = join(dest, name);
  if (!positionals[0]) mkdirSync(paths.backups, { recursive: true, mode: 0o700 });
  if (databaseUrl) {
    const info = await backupPostgres(databaseUrl, dest, { overwrite: values.force === true });
    process.stdout.write(`Backed up ${maskDatabaseUrl(databaseUrl)} (pg_dump, online)\n  to ${dest}\n  ${describePg(info)}\n`);
    return 0;
  }
  const owner = lockOwner(paths.lockFile);
  const info = await backupJournal(paths.journal, dest, { overwrite: values.force === true });
  process.stdout.write(
    `Backed up ${paths.journal}${owner !== null ? ` (server${owner ? ` pid ${owner}` : ''} running: online backup)` : ''}\n` + `  to ${dest}\n  ${describe(info)}\n`,
  );
  return 0;
}

/** `pinebridge restore <file>`: replaces the journal with a checked backup; refuses while a server runs. */
export async function runRestore(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values, positionals } = parse(argv, commonOptions);
  if (values.help) return help(RESTORE_HELP);
  if (positionals.length !== 1) throw usage('restore needs the backup file: pinebridge restore <file>');
  const databaseUrl = databaseUrlFrom(values.database, env);
  const file = resolve(positionals[0]!);
  const dataDir = dataDirFrom(values['data-dir'], env);
  const paths = dataPaths(dataDir);
  if (databaseUrl) {
    const { restored, previous } = await restorePostgres(file, databaseUrl, paths.backups);
    process.stdout.write(
      `Restored ${file}\n  into ${maskDatabaseUrl(databaseUrl)}\n  ${describePg(restored)}\n` +
        (previous ? `  The database it replaced is kept at ${previous}\n` : '') +
        `Start the nodes again; the first one upgrades an older schema on start.\n`,
    );
    return 0;
  }
  const owner = lockOwner(paths.lockFile);
  if (owner !== null) {
    process.stderr.write(
      `pinebridge: a Pinebridge server${owner ? ` (pid ${owner})` : ''} is using ${dataDir}: stop it first (e.g. systemctl stop pinebridge), then restore.\n`,
    );
    return 1;
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // Hold the lock while restoring, so no server starts on a half-replaced journal.
  const release = acquireLock(paths.lockFile);
  try {
    const { restored, previous } = await restoreJournal(file, paths.journal, paths.backups);
    process.stdout.write(
      `Restored ${file}\n  into ${paths.journal}\n  ${describe(restored)}\n` +
        (previous ? `  The journal it replaced is kept at ${previous}\n` : '') +
        `Start the server again; it upgrades an older schema on start.\n`,
    );
    return 0;
  } finally {
    release();
  }
}

function describe(i: JournalFileInfo): string {
  return `schema v${i.schemaVersion}, ${i.alerts} alerts, ${i.orderIntents} orders, ${i.fills} fills, ${i.bytes} bytes, integrity ok`;
}

function describePg(i: PgDumpInfo): string {
  return `schema v${i.schemaVersion}, ${i.alerts} alerts, ${i.orderIntents} orders, ${i.fills} fills, ${i.bytes} bytes, archive checked (pg_restore --list)`;
}

function help(text: string): number {
  process.stdout.write(text);
  return 0;
}

const BACKUP_HELP = `Usage: pinebridge backup [FILE] [--data-dir DIR] [--database URL] [--force]

Writes a consistent copy of the journal (SQLite's online backup: safe while the server runs),
checks it, and keeps it as one self-contained file. Default FILE: <data-dir>/backups/journal-<time>.sqlite.
With --database (or PINEBRIDGE_DATABASE_URL): pg_dump's custom format of the PostgreSQL journal,
online, on one snapshot (needs PostgreSQL's client tools); default FILE ends in .pgdump.
--force overwrites an existing FILE.
`;

const RESTORE_HELP = `Usage: pinebridge restore FILE [--data-dir DIR] [--database URL]

Replaces the journal with FILE after checking it (SQLite integrity_check, a Pinebridge schema no
newer than this version). Refuses while a server uses the data dir. The journal it replaces is
kept in <data-dir>/backups/.
With --database: FILE is a pinebridge backup (pg_dump custom format) restored into that database
in one transaction; refused while a node has been seen in the last minute; the database it
replaces is dumped to <data-dir>/backups/ first.
`;
