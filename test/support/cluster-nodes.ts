/**
 * `pinebridge serve --database postgres://…` nodes on one journal, trading live against the
 * exchange simulator: each in its own data dir under `dir` with the reliability settings plus the
 * node's name; `executorOf` finds the one holding the executor lease.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Simulator } from './exchange-simulator/index.js';
import { FAST_EXECUTION, NO_RISK_LIMITS, spawnLive, writeSettings } from './live-serve.js';
import type { ServeProcess } from './serve-process.js';
import { eventually, WEBHOOK_SECRET } from '../execution/serve-client.js';

export type Role = { status?: string; node?: string; role?: string; executor?: string | null };
export const readyz = async (n: ServeProcess): Promise<Role> => ((await fetch(`${n.baseUrl}/readyz`)).json() as Promise<Role>).catch(() => ({}));

export function clusterNodes<N extends string>(o: { dir: string; url: () => string; sim: () => Simulator; leaseSec: number; settings?: Record<string, unknown> }) {
  const nodes: Partial<Record<N, ServeProcess | null>> = {};
  const start = async (name: N) => {
    const dataDir = join(o.dir, name);
    mkdirSync(dataDir, { recursive: true });
    writeSettings(dataDir, { ...NO_RISK_LIMITS, reconciliation: { intervalSec: 0 }, execution: FAST_EXECUTION, ...o.settings, cluster: { node: name, leaseSec: o.leaseSec } });
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
