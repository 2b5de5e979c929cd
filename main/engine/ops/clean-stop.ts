/**
 * The clean-stop marker: written once the journal closed at a graceful stop, removed at the next
 * start before anything writes. It records what the journal's files looked like when they were
 * closed (inode, size, modification time), so the start skips SQLite's quick_check (which reads
 * every page: seconds at a million alerts) only when the last stop was clean AND nothing has
 * touched the files since. A crash, a kill, a power cut (the marker is gone: the start removed
 * it), a restored or copied journal, or a page changed by anything else (the files differ from
 * the record) all make the start check the journal before it writes.
 */
import { closeSync, fsyncSync, openSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DataPaths } from '../core/paths.js';
import { FILE_MODE } from './permissions.js';

interface FileStamp {
  ino: number;
  size: number;
  mtimeNs: string;
}

interface CleanStop {
  journal: FileStamp | null;
  wal: FileStamp | null;
}

function stamp(path: string): FileStamp | null {
  try {
    const st = statSync(path, { bigint: true });
    return { ino: Number(st.ino), size: Number(st.size), mtimeNs: String(st.mtimeNs) };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

function current(paths: DataPaths): CleanStop {
  return { journal: stamp(paths.journal), wal: stamp(`${paths.journal}-wal`) };
}

/** After the journal closed at a graceful stop: the record the next start compares against. */
export function markCleanStop(paths: DataPaths): void {
  writeFileSync(paths.cleanStop, `${JSON.stringify(current(paths))}\n`, { mode: FILE_MODE });
}

/**
 * At start, before the journal opens: true when the last stop was clean and the journal's files
 * are exactly as that stop left them. Removes the marker either way (durably: a crash of this run
 * must not find it), so only the next graceful stop writes it again.
 */
export function takeCleanStop(paths: DataPaths): boolean {
  let recorded: CleanStop | null = null;
  try {
    recorded = JSON.parse(readFileSync(paths.cleanStop, 'utf8')) as CleanStop;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    // Unreadable or not JSON: not a clean stop; removed below like any other marker.
  }
  unlinkSync(paths.cleanStop);
  syncDir(dirname(paths.cleanStop));
  return recorded !== null && recorded.journal !== null && JSON.stringify(recorded) === JSON.stringify(current(paths));
}

function syncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
