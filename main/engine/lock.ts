import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';

/**
 * One server per data dir: `<data-dir>/pinebridge.lock` holds the owner's pid. A lock left by a
 * process that no longer exists (kill -9, power cut) is taken over.
 */
export function acquireLock(path: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        try {
          if (readFileSync(path, 'utf8').trim() === String(process.pid)) unlinkSync(path);
        } catch {
          // already gone
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const owner = lockOwner(path);
      if (owner !== null) {
        throw Object.assign(new Error(`Another Pinebridge (pid ${owner}) is using this data dir.`), { code: 'data_dir_locked' });
      }
      unlinkSync(path); // stale
    }
  }
  throw new Error(`Could not lock ${path}.`);
}

/** The pid of a live process holding the lock, or null. */
export function lockOwner(path: string): number | null {
  let pid: number;
  try {
    pid = Number(readFileSync(path, 'utf8').trim());
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM' ? pid : null;
  }
}
