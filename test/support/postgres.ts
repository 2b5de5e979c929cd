/**
 * A temporary PostgreSQL cluster for one test file (Debian's postgresql package): initdb as the
 * `postgres` user in a temp dir it owns, listening on 127.0.0.1 at a port below the ephemeral
 * range, its socket in that dir. `stop()` / `start()` make it unreachable and back (outage
 * tests); `destroy()` stops it and removes the dir. Without the binaries (or root to run them as
 * `postgres`) the PostgreSQL tests skip, loudly.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PgCluster {
  readonly port: number;
  /** A fresh, empty database in the cluster; its URL. */
  createDatabase(name?: string): string;
  stop(): void;
  start(): void;
  destroy(): void;
}

function binDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  for (const v of versions) if (existsSync(join(root, v, 'bin', 'initdb'))) return join(root, v, 'bin');
  return null;
}

function postgresUid(): { uid: number; gid: number } | null {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    return null;
  }
}

/** Why PostgreSQL tests cannot run here, or null when they can. */
export function postgresMissing(): string | null {
  if (!binDir()) return 'PostgreSQL binaries not found under /usr/lib/postgresql (apt-get install -y postgresql)';
  if (!postgresUid()) return 'no `postgres` user to run the cluster as';
  if (process.getuid?.() !== 0) return 'not root: cannot run initdb as the postgres user (runuser)';
  return null;
}

/** The stores a journal suite runs against: postgres only where a cluster can start, else a loud warning. */
export function journalStores(suite: string): ('sqlite' | 'postgres')[] {
  const missing = postgresMissing();
  if (!missing) return ['sqlite', 'postgres'];
  console.warn(`\n!!! ${suite}: the PostgreSQL store is NOT tested here: ${missing}. Only SQLite runs.\n`);
  return ['sqlite'];
}

function freePort(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

export async function startPostgres(): Promise<PgCluster> {
  const missing = postgresMissing();
  if (missing) throw new Error(missing);
  const bin = binDir() as string;
  const owner = postgresUid() as { uid: number; gid: number };
  const dir = mkdtempSync(join(tmpdir(), 'pinebridge-pg-'));
  chownSync(dir, owner.uid, owner.gid);
  const data = join(dir, 'data');
  const asPostgres = (tool: string, args: string[]) =>
    execFileSync('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  asPostgres('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C']);
  let port = 0;
  for (let tries = 0; tries < 20 && !port; tries++) {
    const candidate = 20000 + Math.floor(Math.random() * 12000);
    if (await freePort(candidate)) port = candidate;
  }
  if (!port) throw new Error('no free port below 32768 for PostgreSQL');
  const start = () => {
    asPostgres('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, '-w', 'start']);
  };
  const stop = () => {
    asPostgres('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
  };
  start();
  let n = 0;
  let running = true;
  return {
    port,
    createDatabase(name = `pb_${process.pid}_${++n}`) {
      execFileSync(join(bin, 'psql'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-qc', `CREATE DATABASE ${name}`], { stdio: 'pipe' });
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    stop() {
      stop();
      running = false;
    },
    start() {
      start();
      running = true;
    },
    destroy() {
      if (running) stop();
      running = false;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
