/**
 * `getCluster`: the nodes sharing the journal, for the dashboard's Nodes card, the same from
 * whichever node answers. Ages and the current executor are read by the database's clock (the
 * heartbeats are written by it), so the nodes' own clocks need not agree.
 */
import type { ClusterAccountDto, ClusterDto, ClusterNodeDto } from '../../../shared/dto/cluster.js';
import { coded, type Handlers } from '../core/commands.js';
import type { Journal } from '../journal/journal.js';
import { LeaseStore, type Lease } from '../journal/leases.js';
import { executorScope, type ExecutorLease } from './executor-lease.js';

export interface ClusterCommandDeps {
  journal: Journal;
  /** null on SQLite: one node, always the executor. */
  lease: ExecutorLease | null;
  node: string;
  host: string;
  version: string;
  leaseSec: number;
  /** When this node started (epoch ms). */
  startedAt: number;
  /** The accounts the settings name (SQLite: all executed here). */
  accounts?: string[];
}

/** A node is stale when its heartbeat is older than this many leases (down or paused). */
const STALE_LEASES = 2;

export function clusterCommands(d: ClusterCommandDeps): Handlers<'getCluster'> {
  const leases = new LeaseStore(d.journal.db, d.journal.kind);
  return {
    getCluster: async () => {
      const lease = d.lease;
      if (!lease) return single(d);
      let now: number;
      let current: Lease[];
      const s = lease.status();
      try {
        ({ now, leases: current } = leases.list(s.accounts.map((a) => executorScope(a.account))));
      } catch (e) {
        throw coded('database_unreachable', `The shared journal does not answer, so the nodes cannot be listed: ${e instanceof Error ? e.message : String(e)}`);
      }
      const byScope = new Map(current.map((l) => [l.scope, l]));
      // This node knows its own hold best (it stops executing before the database's lease lapses).
      const accounts: ClusterAccountDto[] = s.accounts.map(({ account }) => {
        if (s.held.includes(account)) return { account, executor: s.node };
        const l = byScope.get(executorScope(account));
        const holder = l && l.node !== '' && l.expiresAt > now ? l.node : null;
        return { account, executor: holder === s.node ? null : holder };
      });
      const staleMs = STALE_LEASES * s.leaseMs;
      const nodes: ClusterNodeDto[] = s.nodes.map((n) => {
        const agoMs = Math.max(0, now - n.heartbeatAt);
        const mine = accounts.filter((a) => a.executor === n.node).map((a) => a.account);
        return { node: n.node, host: n.host, version: n.version, role: mine.length ? 'executor' : 'standby', accounts: mine, heartbeatAgoSec: agoMs / 1000, startedAt: n.startedAt, stale: agoMs > staleMs };
      });
      return {
        enabled: true,
        node: s.node,
        role: s.role,
        executor: s.role === 'executor' ? s.node : (accounts.find((a) => a.executor !== null)?.executor ?? null),
        accounts,
        leaseSec: s.leaseMs / 1000,
        lastFailoverSec: s.lastFailoverMs === null ? null : s.lastFailoverMs / 1000,
        nodes,
      } satisfies ClusterDto;
    },
  };
}

/** SQLite: this node alone, executing. */
function single(d: ClusterCommandDeps): ClusterDto {
  const accounts = d.accounts ?? ['main'];
  return {
    enabled: false,
    node: d.node,
    role: 'executor',
    executor: d.node,
    accounts: accounts.map((account) => ({ account, executor: d.node })),
    leaseSec: d.leaseSec,
    lastFailoverSec: null,
    nodes: [{ node: d.node, host: d.host, version: d.version, role: 'executor', accounts, heartbeatAgoSec: 0, startedAt: d.startedAt, stale: false }],
  };
}
