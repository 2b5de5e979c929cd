/**
 * SQLite's own checks of the journal file. `quick_check` (every page's structure, no index
 * cross-check) runs at every start, before anything writes; `integrity_check` (all of it) runs on
 * demand (`pinebridge doctor`) and on every backup.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { sqliteHandle, type SqlDb } from './sql-port.js';

export type JournalCheck = 'quick_check' | 'integrity_check';

/** null when the check passes; else its first findings, or the error that stopped it. */
export function journalProblem(db: SqlDb, check: JournalCheck): string | null {
  // PostgreSQL checks its own pages (data checksums, amcheck): nothing for Pinebridge to run.
  const sqlite = sqliteHandle(db);
  if (!sqlite) return null;
  try {
    const rows = sqlite.pragma(`${check}(20)`) as Record<string, string>[];
    const msgs = rows.map((r) => Object.values(r)[0] ?? '');
    return msgs.length === 1 && msgs[0] === 'ok' ? null : msgs.slice(0, 5).join('; ');
  } catch (e) {
    // A page so broken SQLite cannot even read the schema (SQLITE_CORRUPT, SQLITE_NOTADB).
    return (e as Error).message;
  }
}

/** The journal failed its check at open: nothing was written to it. */
export class JournalDamagedError extends Error {
  readonly code = 'journal_damaged';
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`The journal ${path} is damaged (${problem}).`);
  }
}

/** The newest backup in `dir` (by modification time), or null. */
export function lastBackup(dir: string): string | null {
  let newest: { path: string; at: number } | null = null;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return null;
  }
  for (const name of names) {
    if (!name.endsWith('.sqlite') || name.startsWith('.') || name.startsWith('journal-damaged-')) continue;
    const path = join(dir, name);
    const at = statSync(path).mtimeMs;
    if (!newest || at > newest.at) newest = { path, at };
  }
  return newest?.path ?? null;
}

/** What an operator reads when a start stops on a damaged journal: what happened and the command to run. */
export function damagedJournalMessage(e: JournalDamagedError, dataDir: string, backupsDir: string): string {
  const backup = lastBackup(backupsDir);
  const dirFlag = `--data-dir ${quote(dataDir)}`;
  return [
    `${e.message} Pinebridge did not start and left the file as it is.`,
    backup
      ? `Restore the last backup (the damaged journal is kept aside in ${backupsDir}):\n  pinebridge restore ${quote(backup)} ${dirFlag}`
      : `There is no backup in ${backupsDir}. Keep a copy of the damaged journal, then move it out of the data dir to start with an empty one.`,
    `Full check: pinebridge doctor ${dirFlag}`,
  ].join('\n');
}

function quote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
