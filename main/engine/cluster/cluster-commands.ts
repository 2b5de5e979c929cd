/**
 * `getCluster`: the nodes sharing the journal, for the dashboard's Nodes card, the same from
 * whichever node answers. Ages and the current executor are read by the database's clock (the
 * heartbeats are written by it), so the nodes' own clocks need not agree.
 */
import type { ClusterDto, ClusterNodeDto } from '../../../shared/dto/cluster.js';
import { coded, type Handlers } from '../core/commands.js';
import type { Journal } from '../journal/journal.js';
import { LeaseStore } from '../journal/leases.js';
import { EXECUTOR_SCOPE, type ExecutorLease } from './executor-lease.js';

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
      let holder: string | null;
      try {
        now = leases.clock();
        const current = leases.get(EXECUTOR_SCOPE);
        holder = current && current.node !== '' && current.expiresAt > now ? current.node : null;
      } catch (e) {
        throw coded('database_unreachable', `The shared journal does not answer, so the nodes cannot be listed: ${e instanceof Error ? e.message : String(e)}`);
      }
      const s = lease.status();
      // This node knows its own hold best (it stops executing before the database's lease lapses).
      const executor = s.role === 'executor' ? s.node : holder === s.node ? null : holder;
      const staleMs = STALE_LEASES * s.leaseMs;
      const nodes: ClusterNodeDto[] = s.nodes.map((n) => {
        const agoMs = Math.max(0, now - n.heartbeatAt);
        return { node: n.node, host: n.host, version: n.version, role: n.node === executor ? 'executor' : 'standby', heartbeatAgoSec: agoMs / 1000, startedAt: n.startedAt, stale: agoMs > staleMs };
      });
      return {
        enabled: true,
        node: s.node,
        role: s.role,
        executor,
        leaseSec: s.leaseMs / 1000,
        lastFailoverSec: s.lastFailoverMs === null ? null : s.lastFailoverMs / 1000,
        nodes,
      } satisfies ClusterDto;
    },
  };
}

/** SQLite: this node alone, executing. */
function single(d: ClusterCommandDeps): ClusterDto {
  return {
    enabled: false,
    node: d.node,
    role: 'executor',
    executor: d.node,
    leaseSec: d.leaseSec,
    lastFailoverSec: null,
    nodes: [{ node: d.node, host: d.host, version: d.version, role: 'executor', heartbeatAgoSec: 0, startedAt: d.startedAt, stale: false }],
  };
}
