import Database from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import { damagedJournalMessage, JournalDamagedError, journalProblem } from '../engine/journal/journal-check.js';
import { lockOwner } from '../engine/core/lock.js';
import { dataPaths } from '../engine/core/paths.js';
import { commonOptions, databaseUrlFrom, dataDirFrom, notOnPostgres, parse, usage } from './options.js';

/**
 * `pinebridge doctor`: SQLite's full integrity_check of the journal (the start only runs the
 * quick one), read-only, so it is safe while a server runs. Exit 1 when the journal is damaged,
 * with the command that restores the last backup.
 */
export async function runDoctor(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values, positionals } = parse(argv, commonOptions);
  if (values.help) {
    process.stdout.write(DOCTOR_HELP);
    return 0;
  }
  if (positionals.length) throw usage('doctor takes no arguments');
  notOnPostgres('doctor', databaseUrlFrom(values.database, env), 'PostgreSQL checks its own pages (data checksums, amcheck); `pinebridge migrate --database URL` says whether it is reachable and its schema');
  const dataDir = dataDirFrom(values['data-dir'], env);
  const paths = dataPaths(dataDir);
  if (!existsSync(paths.journal)) {
    process.stdout.write(`No journal at ${paths.journal} yet: nothing to check.\n`);
    return 0;
  }
  const owner = lockOwner(paths.lockFile);
  const started = performance.now();
  let problem: string | null;
  try {
    const db = new Database(paths.journal, { readonly: true, fileMustExist: true });
    try {
      problem = journalProblem(db, 'integrity_check');
    } finally {
      db.close();
    }
  } catch (e) {
    problem = (e as Error).message;
  }
  const ms = Math.round(performance.now() - started);
  const size = `${(statSync(paths.journal).size / 1024 / 1024).toFixed(1)} MB`;
  const server = owner === null ? 'no server running' : `server${owner ? ` pid ${owner}` : ''} running`;
  if (!problem) {
    process.stdout.write(`Journal ${paths.journal} (${size}, ${server}): integrity_check ok in ${ms} ms.\n`);
    return 0;
  }
  process.stderr.write(`${damagedJournalMessage(new JournalDamagedError(paths.journal, problem), dataDir, paths.backups)}\n`);
  if (owner !== null) process.stderr.write(`Stop the server (${server}) before restoring.\n`);
  return 1;
}

const DOCTOR_HELP = `Usage: pinebridge doctor [--data-dir DIR]

Runs SQLite's full integrity_check on the journal (read-only: safe while the server runs; every
start runs the faster quick_check). Exits 1 when the journal is damaged and says which backup
to restore with \`pinebridge restore\`.
`;
