/**
 * `pinebridge serve --database postgres://…` nodes on one journal, trading live against the
 * exchange simulator: each in its own data dir under `dir` with the reliability settings plus the
 * node's name; `executorOf` finds the one holding the executor lease.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startExchangeSimulator, type Simulator } from './exchange-simulator/index.js';
import { startPostgres, type PgCluster } from './postgres.js';
import { tempDir } from './temp-dir.js';
import { FAST_EXECUTION, NO_RISK_LIMITS, spawnLive, writeSettings } from './live-serve.js';
import type { ServeProcess } from './serve-process.js';
import { eventually, WEBHOOK_SECRET } from '../execution/serve-client.js';

export type Role = { status?: string; node?: string; role?: string; executor?: string | null };
export const readyz = async (n: ServeProcess): Promise<Role> => ((await fetch(`${n.baseUrl}/readyz`)).json() as Promise<Role>).catch(() => ({}));

export function clusterNodes<N extends string>(o: { dir: string; url: () => string; sim: () => Simulator; leaseSec: number; settings?: Record<string, unknown> }) {
  const nodes: Partial<Record<N, ServeProcess | null>> = {};
  /** `execution`: settings of this start over the fast ones (a test's own recvWindowMs). */
  const start = async (name: N, execution: Record<string, unknown> = {}) => {
    const dataDir = join(o.dir, name);
    mkdirSync(dataDir, { recursive: true });
    const own = Object.keys(execution).length ? { execution: { ...FAST_EXECUTION, ...execution } } : {};
    writeSettings(dataDir, { ...NO_RISK_LIMITS, reconciliation: { intervalSec: 0 }, execution: FAST_EXECUTION, ...o.settings, ...own, cluster: { node: name, leaseSec: o.leaseSec } });
    nodes[name] = await spawnLive({ dataDir, sim: o.sim(), webhookSecret: WEBHOOK_SECRET, args: ['--database', o.url()] });
    return nodes[name]!;
  };
  const executorOf = async (): Promise<N> =>
    eventually(async () => {
      for (const name of Object.keys(nodes) as N[]) {
        const n = nodes[name];
        if (n && (await readyz(n)).role === 'executor') return name;
      }
      return undefined;
    }, 20_000, 'a node executes');
  const stopAll = async () => {
    for (const n of Object.values(nodes) as (ServeProcess | null)[]) await n?.stop().catch(() => undefined);
  };
  return { nodes, start, executorOf, stopAll };
}

/**
 * A test file's two nodes `a` and `b` on one temp PostgreSQL cluster and one Binance simulator
 * (BTCUSDT at 65,000, ample USDT), started before its tests and stopped after them.
 */
export function twoNodeCluster(o: { prefix: string; leaseSec: number }) {
  let pg: PgCluster | null = null;
  let sim: Simulator | null = null;
  let url = '';
  const dir = tempDir(o.prefix);
  const c = clusterNodes<'a' | 'b'>({ dir: dir.path, url: () => url, sim: () => sim!, leaseSec: o.leaseSec });
  beforeAll(async () => {
    pg = await startPostgres();
    url = pg.createDatabase();
    sim = await startExchangeSimulator({ prices: { BTCUSDT: 65_000 }, balances: { USDT: 10_000_000, BTC: 0 } });
    await c.start('a');
    await c.start('b');
  }, 120_000);
  afterAll(async () => {
    await c.stopAll();
    await sim?.close();
    pg?.destroy();
    dir.cleanup();
  });
  return { ...c, pg: () => pg!, sim: () => sim! };
}
