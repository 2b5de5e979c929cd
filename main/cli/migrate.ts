import { lockOwner } from '../engine/core/lock.js';
import { dataPaths } from '../engine/core/paths.js';
import { latestVersion } from '../engine/journal/database.js';
import { Journal } from '../engine/journal/journal.js';
import { backupBeforeMigrate } from '../engine/ops/backup.js';
import { commonOptions, databaseUrlFrom, dataDirFrom, parse, usage } from './options.js';

/**
 * `pinebridge migrate`: runs the journal's pending migrations and says from which schema version
 * to which. SQLite: the data dir's journal, backed up first, with no server running on it.
 * PostgreSQL (`--database`): one transaction per version under an advisory lock, so nodes
 * starting meanwhile wait for it.
 */
export async function runMigrate(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values, positionals } = parse(argv, commonOptions);
  if (values.help) {
    process.stdout.write(MIGRATE_HELP);
    return 0;
  }
  if (positionals.length) throw usage('migrate takes no arguments');
  const databaseUrl = databaseUrlFrom(values.database, env);
  const paths = dataPaths(dataDirFrom(values['data-dir'], env));
  if (!databaseUrl) {
    const owner = lockOwner(paths.lockFile);
    if (owner !== null) {
      process.stderr.write(`A server${owner ? ` (pid ${owner})` : ''} runs on ${paths.dataDir}: it migrated the journal when it started. Stop it to migrate by hand.\n`);
      return 1;
    }
  }
  let ran: { from: number; to: number; backup: string | null } | null = null;
  let backup: string | null = null;
  const journal = Journal.open(databaseUrl ?? paths.journal, {
    quickCheck: true,
    beforeMigrate: (db, from) => {
      if (!databaseUrl) backup = backupBeforeMigrate(db, paths.backups, from);
    },
    onMigrated: (from, to) => {
      ran = { from, to, backup };
    },
  });
  const name = journal.path;
  journal.close();
  const done = ran as { from: number; to: number; backup: string | null } | null;
  if (!done) {
    process.stdout.write(`Journal ${name}: schema v${latestVersion()}, up to date.\n`);
    return 0;
  }
  process.stdout.write(`Journal ${name}: schema v${done.from} -> v${done.to}.${done.backup ? ` Backup of v${done.from}: ${done.backup}` : ''}\n`);
  return 0;
}

const MIGRATE_HELP = `Usage: pinebridge migrate [--data-dir DIR] [--database URL]

Runs the journal's pending schema migrations and prints the version it went from and to (every
start does the same; this runs it ahead, e.g. once before upgrading several nodes).
  SQLite (default): the data dir's journal, backed up to <data-dir>/backups first; refused while
                    a server runs on the data dir.
  --database URL    the PostgreSQL journal [PINEBRIDGE_DATABASE_URL]: one transaction per version,
                    nodes starting meanwhile wait for it. Back it up with pg_dump first.
`;
