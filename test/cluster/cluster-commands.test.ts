/**
 * `getCluster` on a real PostgreSQL with two nodes (two Journal connections, two ExecutorLease),
 * asked of either node: both listed with their roles, ages by the database's clock, and the
 * node that stopped renewing shown stale and standby once another took over. On SQLite: one
 * node, `enabled: false`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterCommands } from '../../main/engine/cluster/cluster-commands.js';
import { ExecutorLease } from '../../main/engine/cluster/executor-lease.js';
import { createLogger } from '../../main/engine/core/logging/logger.js';
import { Redactor } from '../../main/engine/core/logging/redactor.js';
import { Journal } from '../../main/engine/journal/journal.js';
import { journalPath } from '../support/journal-reader.js';
import { journalStores, startPostgres, type PgCluster } from '../support/postgres.js';
import { tempDir } from '../support/temp-dir.js';

const withPostgres = journalStores('getCluster').includes('postgres');
let pg: PgCluster | null = null;
beforeAll(async () => {
  if (withPostgres) pg = await startPostgres();
});
afterAll(() => pg?.destroy());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const logger = createLogger({ level: 'error', console: null, redactor: new Redactor() });
const LEASE_MS = 400;

describe.skipIf(!withPostgres)('getCluster on PostgreSQL', () => {
  it('lists both nodes from either one; a node that stopped renewing turns stale and standby after the take-over', async () => {
    const where = (pg as PgCluster).createDatabase();
    const a = Journal.open(where);
    const b = Journal.open(where);
    const na = new ExecutorLease({ journal: a, node: 'na', version: '1.2.3', leaseMs: LEASE_MS, logger, onGain: () => {} });
    const nb = new ExecutorLease({ journal: b, node: 'nb', version: '1.2.4', leaseMs: LEASE_MS, logger, onGain: () => {} });
    const deps = { host: 'h', leaseSec: LEASE_MS / 1000, startedAt: 1 };
    const ca = clusterCommands({ ...deps, journal: a, lease: na, node: 'na', version: '1.2.3' });
    const cb = clusterCommands({ ...deps, journal: b, lease: nb, node: 'nb', version: '1.2.4' });
    try {
      na.start();
      await sleep(30);
      nb.start();
      await sleep(150);
      for (const [c, self, role] of [[ca, 'na', 'executor'], [cb, 'nb', 'standby']] as const) {
        const r = await c.getCluster({});
        expect(r).toMatchObject({ enabled: true, node: self, role, executor: 'na', leaseSec: LEASE_MS / 1000, lastFailoverSec: null });
        expect(r.nodes.map((n) => [n.node, n.role, n.version, n.stale])).toEqual([
          ['na', 'executor', '1.2.3', false],
          ['nb', 'standby', '1.2.4', false],
        ]);
        for (const n of r.nodes) {
          expect(n.heartbeatAgoSec).toBeGreaterThanOrEqual(0);
          expect(n.heartbeatAgoSec).toBeLessThan((2 * LEASE_MS) / 1000);
          expect(n.host).not.toBe('');
          expect(n.startedAt).toBeGreaterThan(0);
        }
      }

      // 'na' stops renewing without giving the lease up (as if paused): 'nb' takes over, and
      // once na's heartbeat is older than two leases it is stale.
      clearInterval((na as unknown as { timer: NodeJS.Timeout }).timer);
      await sleep(3 * LEASE_MS);
      for (const [c, self, role] of [[cb, 'nb', 'executor'], [ca, 'na', 'standby']] as const) {
        const r = await c.getCluster({});
        expect(r).toMatchObject({ enabled: true, node: self, role, executor: 'nb' });
        const [ra, rb] = r.nodes;
        expect(ra).toMatchObject({ node: 'na', role: 'standby', stale: true });
        expect(ra!.heartbeatAgoSec).toBeGreaterThan((2 * LEASE_MS) / 1000);
        expect(rb).toMatchObject({ node: 'nb', role: 'executor', stale: false });
      }
      // The take-over's wait is known to the node that took over.
      expect((await cb.getCluster({})).lastFailoverSec).toBeGreaterThan(0);
      expect((await ca.getCluster({})).lastFailoverSec).toBeNull();
    } finally {
      nb.stop();
      na.stop();
      a.close();
      b.close();
    }
  });

  it('answers a coded error, not a stale list, when the shared journal does not answer', async () => {
    const a = Journal.open((pg as PgCluster).createDatabase());
    const na = new ExecutorLease({ journal: a, node: 'na', version: 't', leaseMs: LEASE_MS, logger, onGain: () => {} });
    const c = clusterCommands({ journal: a, lease: na, node: 'na', host: 'h', version: 't', leaseSec: LEASE_MS / 1000, startedAt: 1 });
    a.close();
    await expect(c.getCluster({})).rejects.toMatchObject({ code: 'database_unreachable' });
  });
});

describe('getCluster on SQLite', () => {
  it('answers enabled: false with this node alone, executing', async () => {
    const dir = tempDir('pinebridge-cluster-');
    const j = Journal.open(journalPath(dir.path));
    try {
      const r = await clusterCommands({ journal: j, lease: null, node: 'solo', host: 'box', version: '9.9.9', leaseSec: 10, startedAt: 1234 }).getCluster({});
      expect(r).toEqual({
        enabled: false,
        node: 'solo',
        role: 'executor',
        executor: 'solo',
        accounts: [{ account: 'main', executor: 'solo' }],
        leaseSec: 10,
        lastFailoverSec: null,
        nodes: [{ node: 'solo', host: 'box', version: '9.9.9', role: 'executor', accounts: ['main'], heartbeatAgoSec: 0, startedAt: 1234, stale: false }],
      });
    } finally {
      j.close();
      dir.cleanup();
    }
  });
});
