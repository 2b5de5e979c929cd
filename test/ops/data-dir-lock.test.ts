/**
 * The data-dir lock is the kernel's (an fcntl lock SQLite holds on `pinebridge.lock`), not a pid in
 * a file: a live holder in another process always blocks, a killed one never does, and a pid that
 * names a live process (ours, as after a container restart) proves nothing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireLock, lockOwner } from '../../main/engine/core/lock.js';
import { tempDir } from '../support/temp-dir.js';

const LOCK_JS = fileURLToPath(new URL('../../dist/main/engine/core/lock.js', import.meta.url));

/** Another process that takes the lock with the built module and holds it until killed. */
async function holder(path: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['--input-type=module', '-e', `const { acquireLock } = await import(${JSON.stringify(LOCK_JS)}); acquireLock(${JSON.stringify(path)}); console.log('held'); setInterval(() => {}, 1000);`],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  await new Promise<void>((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('held') && resolve());
    child.once('exit', (code) => reject(new Error(`lock holder exited with ${code}: ${err}`)));
  });
  return child;
}

const children: ChildProcess[] = [];
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  for (const c of cleanups.splice(0)) c();
});

function lockPath(): string {
  const dir = tempDir();
  cleanups.push(dir.cleanup);
  return join(dir.path, 'pinebridge.lock');
}

describe('data-dir lock', () => {
  it('a live holder in another process blocks, naming its pid; after its kill -9 the lock is free at once', async () => {
    const path = lockPath();
    const child = await holder(path);
    children.push(child);
    expect(() => acquireLock(path)).toThrow(`Another Pinebridge (pid ${child.pid}) is using this data dir.`);
    expect(lockOwner(path)).toBe(child.pid);
    // Asking does not take the lock away from its holder.
    expect(() => acquireLock(path)).toThrow(/Another Pinebridge/);

    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await gone;
    expect(lockOwner(path)).toBeNull();
    const release = acquireLock(path);
    expect(lockOwner(path)).toBe(process.pid);
    release();
    expect(lockOwner(path)).toBeNull();
  });

  it('a second holder in the same process is refused, and a look-up from this process keeps the lock held', async () => {
    const path = lockPath();
    const release = acquireLock(path);
    cleanups.push(release);
    expect(() => acquireLock(path)).toThrow(`Another Pinebridge (pid ${process.pid}) is using this data dir.`);
    expect(lockOwner(path)).toBe(process.pid);
    // A connection opened and closed in the owner's process must not drop its fcntl lock.
    const other = spawn(process.execPath, ['--input-type=module', '-e', `const { acquireLock } = await import(${JSON.stringify(LOCK_JS)}); acquireLock(${JSON.stringify(path)});`], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    other.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise((r) => other.once('exit', r));
    expect(code).not.toBe(0);
    expect(err).toContain(`Another Pinebridge (pid ${process.pid})`);
  });

  it('an old-style lock file naming our own pid (a restarted container is PID 1 again) or a dead pid is taken over', () => {
    for (const pid of [process.pid, 2 ** 22 + 17]) {
      const path = lockPath();
      writeFileSync(path, String(pid));
      const release = acquireLock(path);
      expect(lockOwner(path)).toBe(process.pid);
      release();
    }
  });

  it('an old-style lock file naming another live process is still respected, with what to do if it is stale', async () => {
    const path = lockPath();
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    children.push(child);
    await new Promise((r) => child.once('spawn', r));
    writeFileSync(path, String(child.pid));
    expect(() => acquireLock(path)).toThrow(`Another Pinebridge (pid ${child.pid}) may be using this data dir (an older version's lock). If none runs, delete ${path}.`);
  });
});
