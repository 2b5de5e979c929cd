import Database from 'better-sqlite3';
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';

/**
 * One server per data dir, held by the kernel rather than by a pid in a file: a pid names a live
 * process long after ours died (a restarted container is PID 1 again), so it cannot tell a live
 * owner from a dead one.
 *
 * `<data-dir>/pinebridge.lock` is a small SQLite database; the owner keeps a write transaction
 * open on it (`BEGIN IMMEDIATE`: SQLite's RESERVED lock, an fcntl lock on the file) for as long as
 * it runs. The kernel drops an fcntl lock when its process dies, however it dies, so a crashed
 * server never blocks the next start, and a live one blocks every other process whatever its pid
 * or pid namespace. Facts this relies on:
 * - fcntl locks belong to a process, not a descriptor, and closing *any* descriptor of the file
 *   drops them all. SQLite guards against that for its own connections (it shares one lock per
 *   inode and defers closes), so a second connection in the same process is refused too; nothing
 *   else may open this file with plain `fs` calls while we hold it. That is why the owner's pid,
 *   for messages only, lives in `pinebridge.pid`, never in the lock file.
 * - fcntl locks are not inherited across fork/exec, so a child process never keeps the lock alive.
 * - The lock file is never deleted: a process that opened it just before a delete would lock an
 *   unlinked file while a third one locks a new file of the same name.
 */
export function acquireLock(path: string): () => void {
  for (let attempt = 0; attempt < 3; attempt++) {
    createOwnerOnly(path);
    const before = inode(path);
    const db = openLockDb(path);
    try {
      db.exec('BEGIN IMMEDIATE');
    } catch (e) {
      db.close();
      if (isBusy(e)) throw lockedError(path);
      if (isNotADatabase(e)) {
        replaceLegacyLock(path);
        continue;
      }
      throw e;
    }
    // Another process replaced the file between our open and our lock (only the legacy pid file
    // is ever replaced): we locked a file nobody else will look at. Try again on the new one.
    if (before !== null && inode(path) !== before) {
      db.close();
      continue;
    }
    writePid(path);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      removePid(path);
      // Rolling back the empty transaction and closing drops the kernel lock.
      db.close();
    };
  }
  throw new Error(`Could not lock ${path}.`);
}

/**
 * The pid of the process holding the lock (0 when it holds it but did not say who it is), or null
 * when nobody holds it. Asks the kernel, by trying to take the lock and letting go at once.
 */
export function lockOwner(path: string): number | null {
  if (inode(path) === null) return null;
  let db: Database.Database;
  try {
    db = openLockDb(path);
  } catch {
    return null;
  }
  try {
    db.exec('BEGIN IMMEDIATE');
    db.exec('ROLLBACK');
    return null;
  } catch (e) {
    if (isBusy(e)) return readPid(path) ?? 0;
    if (isNotADatabase(e)) return legacyOwner(path);
    return null;
  } finally {
    db.close();
  }
}

function openLockDb(path: string): Database.Database {
  const db = new Database(path, { timeout: 0 });
  // DELETE mode and no writes: the open transaction never creates a -journal or a -wal file.
  return db;
}

/**
 * SQLite would create the file 0644; made 0600 here first. Exclusive create only: opening (and
 * closing) an existing lock file with `fs` would drop a lock this process holds on it.
 */
function createOwnerOnly(path: string): void {
  try {
    closeSync(openSync(path, 'wx', 0o600));
  } catch {
    // there already
  }
}

function lockedError(path: string): Error {
  const pid = readPid(path);
  const who = pid ? `Another Pinebridge (pid ${pid})` : 'Another Pinebridge';
  return Object.assign(new Error(`${who} is using this data dir.`), { code: 'data_dir_locked' });
}

/** `pinebridge.pid` beside `pinebridge.lock`: who holds it, for messages only. */
export const pidFile = (lockPath: string): string => lockPath.replace(/\.lock$/, '') + '.pid';

function writePid(path: string): void {
  try {
    writeFileSync(pidFile(path), `${process.pid}\n`, { mode: 0o600 });
  } catch {
    // Only the message of a refused second server names the pid.
  }
}

function readPid(path: string): number | null {
  try {
    const pid = Number(readFileSync(pidFile(path), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function removePid(path: string): void {
  try {
    if (readPid(path) === process.pid) unlinkSync(pidFile(path));
  } catch {
    // already gone
  }
}

/**
 * A lock file from before the kernel lock: it holds a pid. An earlier version that may still run
 * keeps the data dir (unless the pid is ours, the container restart this lock was built for);
 * otherwise it is replaced by the new lock.
 */
function replaceLegacyLock(path: string): void {
  const owner = legacyOwner(path);
  if (owner !== null) {
    throw Object.assign(
      new Error(`Another Pinebridge (pid ${owner}) may be using this data dir (an older version's lock). If none runs, delete ${path}.`),
      { code: 'data_dir_locked' },
    );
  }
  try {
    unlinkSync(path);
  } catch {
    // someone else replaced it first
  }
}

function legacyOwner(path: string): number | null {
  let pid: number;
  try {
    pid = Number(readFileSync(path, 'utf8').trim());
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM' ? pid : null;
  }
}

function inode(path: string): number | null {
  try {
    return statSync(path).ino;
  } catch {
    return null;
  }
}

const sqliteCode = (e: unknown) => String((e as { code?: unknown })?.code ?? '');
const isBusy = (e: unknown) => sqliteCode(e).startsWith('SQLITE_BUSY') || sqliteCode(e).startsWith('SQLITE_LOCKED');
const isNotADatabase = (e: unknown) => sqliteCode(e) === 'SQLITE_NOTADB';
