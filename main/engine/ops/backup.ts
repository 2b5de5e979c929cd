/**
 * Journal backups: online (SQLite's backup API, consistent while the server keeps writing),
 * before a schema upgrade (VACUUM INTO, synchronous, at start-up), and the checks a file must
 * pass before it may replace a journal.
 */
import Database from 'better-sqlite3';
import { chmodSync, closeSync, constants, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Db } from '../journal/database.js';
import { journalProblem } from '../journal/journal-check.js';
import { migrations } from '../journal/migrations.js';

export interface JournalFileInfo {
  path: string;
  bytes: number;
  schemaVersion: number;
  alerts: number;
  orderIntents: number;
  fills: number;
}

/** Copies the live journal at `source` into `dest` (a new file) and checks the copy. */
export async function backupJournal(source: string, dest: string, opts: { overwrite?: boolean } = {}): Promise<JournalFileInfo> {
  if (!existsSync(source)) throw opError('no_journal', `There is no journal at ${source}.`);
  if (existsSync(dest) && !opts.overwrite) throw opError('exists', `${dest} already exists: choose another name (or --force).`);
  mkdirSync(dirname(dest), { recursive: true });
  const partial = join(dirname(dest), `.${basename(dest)}.partial-${process.pid}`);
  removeDbFiles(partial);
  // A connection of our own: the server's keeps writing meanwhile (WAL readers never block it).
  const src = new Database(source, { fileMustExist: true });
  try {
    src.pragma('busy_timeout = 5000');
    // After the first step, copy the rest in one step: a paged copy restarts whenever the server
    // commits in between, which under steady load could go on for ever.
    await src.backup(partial, { progress: () => 0x7fffffff });
  } catch (e) {
    removeDbFiles(partial);
    throw e;
  } finally {
    src.close();
  }
  try {
    // One self-contained file (no -wal beside it), checked before it takes the final name.
    const copy = new Database(partial);
    try {
      copy.pragma('journal_mode = DELETE');
      const problem = integrityProblem(copy);
      if (problem) throw opError('corrupt', `The backup failed its integrity check: ${problem}`);
    } finally {
      copy.close();
    }
    // SQLite creates it 0644 less the umask; it holds the whole journal.
    chmodSync(partial, 0o600);
    fsyncFile(partial);
    renameSync(partial, dest);
    fsyncFile(dirname(dest));
  } catch (e) {
    removeDbFiles(partial);
    throw e;
  }
  return inspectJournalFile(dest);
}

/**
 * For `beforeMigrate`: a consistent copy of the journal as it is before an upgrade, at
 * `<dir>/journal-v<from>-<timestamp>.sqlite`. Synchronous (start-up, nothing else writes yet).
 */
export function backupBeforeMigrate(db: Db, dir: string, from: number, now = new Date()): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, `journal-v${from}-${stamp(now)}.sqlite`);
  db.prepare('VACUUM INTO ?').run(file);
  chmodSync(file, 0o600);
  return file;
}

/** Opens a file read-only and says what it holds; throws when it is not a usable Pinebridge journal. */
export function checkJournalFile(path: string): JournalFileInfo {
  if (!existsSync(path)) throw opError('not_found', `${path} does not exist.`);
  let db: Db;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch (e) {
    throw opError('unreadable', `${path} cannot be opened as SQLite: ${(e as Error).message}`);
  }
  try {
    let problem: string | null;
    try {
      problem = integrityProblem(db);
    } catch (e) {
      problem = (e as Error).message;
    }
    if (problem) throw opError('corrupt', `${path} failed SQLite's integrity check: ${problem}`);
    const version = db.pragma('user_version', { simple: true }) as number;
    const latest = migrations.at(-1)?.version ?? 0;
    if (version < 1) throw opError('not_a_journal', `${path} is not a Pinebridge journal (no schema version).`);
    if (version > latest) {
      throw opError('too_new', `${path} was written by a newer Pinebridge (schema ${version}; this one knows up to ${latest}).`);
    }
    const tables = new Set((db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((r) => r.name));
    for (const t of ['alerts', 'order_intents', 'fills', 'positions', 'events']) {
      if (!tables.has(t)) throw opError('not_a_journal', `${path} is not a Pinebridge journal (no ${t} table).`);
    }
  } finally {
    db.close();
  }
  return inspectJournalFile(path);
}

export function inspectJournalFile(path: string): JournalFileInfo {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const count = (t: string) => (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
    return {
      path,
      bytes: statSync(path).size,
      schemaVersion: db.pragma('user_version', { simple: true }) as number,
      alerts: count('alerts'),
      orderIntents: count('order_intents'),
      fills: count('fills'),
    };
  } finally {
    db.close();
  }
}

/**
 * Replaces the journal at `journalPath` with a checked copy of `file`. The caller must hold the
 * data dir's lock (no server running). The journal it replaces is kept in `backupsDir` first.
 */
export async function restoreJournal(
  file: string,
  journalPath: string,
  backupsDir: string,
  now = new Date(),
): Promise<{ restored: JournalFileInfo; previous: string | null }> {
  checkJournalFile(file);
  let previous: string | null = null;
  if (existsSync(journalPath)) {
    previous = join(backupsDir, `journal-before-restore-${stamp(now)}.sqlite`);
    try {
      await backupJournal(journalPath, previous);
    } catch {
      // A damaged journal (the usual reason to restore) fails the backup's check: kept byte for byte.
      previous = keepCopy(journalPath, join(backupsDir, `journal-damaged-${stamp(now)}.sqlite`));
    }
  }
  const incoming = join(dirname(journalPath), `.journal-restore-${process.pid}.sqlite`);
  removeDbFiles(incoming);
  try {
    const src = new Database(file, { readonly: true, fileMustExist: true });
    try {
      await src.backup(incoming, { progress: () => 0x7fffffff });
    } finally {
      src.close();
    }
    const copy = new Database(incoming);
    try {
      copy.pragma('journal_mode = DELETE');
      const problem = integrityProblem(copy);
      if (problem) throw opError('corrupt', `The restored copy failed its integrity check: ${problem}`);
    } finally {
      copy.close();
    }
    chmodSync(incoming, 0o600);
    fsyncFile(incoming);
    // The old journal's WAL must go with it: SQLite would replay it onto the restored file.
    removeDbFiles(journalPath);
    renameSync(incoming, journalPath);
    fsyncFile(dirname(journalPath));
  } catch (e) {
    removeDbFiles(incoming);
    throw e;
  }
  return { restored: inspectJournalFile(journalPath), previous };
}

function integrityProblem(db: Db): string | null {
  return journalProblem(db, 'integrity_check');
}

function removeDbFiles(path: string): void {
  for (const p of [path, path + '-wal', path + '-shm', path + '-journal']) {
    try {
      unlinkSync(p);
    } catch {
      // not there
    }
  }
}

/** Copies a journal file and its WAL as they are (no SQLite involved), owner-only. */
function keepCopy(journalPath: string, dest: string): string {
  mkdirSync(dirname(dest), { recursive: true, mode: 0o700 });
  for (const suffix of ['', '-wal']) {
    if (!existsSync(journalPath + suffix)) continue;
    copyFileSync(journalPath + suffix, dest + suffix, constants.COPYFILE_EXCL);
    chmodSync(dest + suffix, 0o600);
    fsyncFile(dest + suffix);
  }
  return dest;
}

function fsyncFile(path: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(path, 'r');
    fsyncSync(fd);
  } catch {
    // best effort (some filesystems refuse fsync on a directory)
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/** 20261125T101500Z: sortable, and safe in a file name everywhere. */
export function stamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

export function opError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}
