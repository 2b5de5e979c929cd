/**
 * The data dir holds the journal (every alert and order), settings, the control token and maybe
 * the webhook secret: other local users must not read any of it. Enforced on every start, since a
 * data dir may have been created by an older version, copied, or restored with open permissions.
 */
import { chmodSync, closeSync, existsSync, lstatSync, openSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pidFile } from '../core/lock.js';
import type { DataPaths } from '../core/paths.js';

export const FILE_MODE = 0o600;
export const DIR_MODE = 0o700;

export interface PermissionFix {
  path: string;
  from: number;
  to: number;
}

/**
 * Makes the data dir and what Pinebridge keeps in it owner-only (directories 0700, files 0600),
 * without following symlinks (a link's target is not ours to change). Only Pinebridge's own
 * entries: a data dir pointed at a folder that holds other things (a home directory) must not
 * have those changed. Returns what it changed; a file it cannot change (another user's) is
 * reported with `to` = -1.
 */
export function enforcePermissions(paths: DataPaths): PermissionFix[] {
  const fixes: PermissionFix[] = [];
  const visit = (path: string, recurse: boolean) => {
    let st;
    try {
      st = lstatSync(path);
    } catch {
      return; // not there (yet)
    }
    if (st.isSymbolicLink()) return;
    const want = st.isDirectory() ? DIR_MODE : FILE_MODE;
    const mode = st.mode & 0o777;
    if (mode !== want) {
      try {
        chmodSync(path, want);
        fixes.push({ path, from: mode, to: want });
      } catch {
        fixes.push({ path, from: mode, to: -1 });
      }
    }
    if (recurse && st.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name), true);
  };
  visit(paths.dataDir, false);
  for (const file of ownFiles(paths)) visit(file, false);
  visit(paths.logDir, true);
  visit(paths.backups, true);
  return fixes;
}

/** The files Pinebridge keeps at the top of a data dir. */
function ownFiles(paths: DataPaths): string[] {
  const journal = [paths.journal, `${paths.journal}-wal`, `${paths.journal}-shm`, `${paths.journal}-journal`];
  return [...journal, paths.cleanStop, paths.settings, paths.riskState, paths.controlToken, paths.webhookSecretFile, paths.lockFile, pidFile(paths.lockFile)];
}

/**
 * Creates an empty file owner-only if it does not exist yet, so a file another library creates
 * with its own default (SQLite: 0644 less the umask) starts private; SQLite gives the -wal and
 * -shm files the mode of their database file.
 */
export function createPrivate(path: string): void {
  if (existsSync(path)) return;
  closeSync(openSync(path, 'a', FILE_MODE));
}

/** One line for the log: what was fixed, relative to the data dir. */
export function describeFixes(dataDir: string, fixes: PermissionFix[]): string {
  const octal = (m: number) => m.toString(8).padStart(4, '0');
  return fixes
    .map((f) => `${relative(dataDir, f.path) || '.'} ${octal(f.from)}${f.to === -1 ? ' (could not change: not ours)' : ` -> ${octal(f.to)}`}`)
    .join(', ');
}
