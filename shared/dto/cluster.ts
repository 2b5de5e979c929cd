/**
 * The nodes sharing one journal (several `pinebridge serve --database postgres://…`), for the
 * dashboard's Nodes card. Plain JSON: no classes, no Dates.
 */

export type ClusterRole = 'executor' | 'standby';

export interface ClusterNodeDto {
  node: string;
  host: string;
  version: string;
  /** Executor when it holds the executor lease now, by the database's clock; else standby. */
  role: ClusterRole;
  /** Seconds since its last heartbeat, by the database's clock (the nodes' own clocks need not agree). */
  heartbeatAgoSec: number;
  /** When it started, epoch ms (its own clock). */
  startedAt: number;
  /** No heartbeat for more than twice the lease: down or paused. */
  stale: boolean;
}

export interface ClusterDto {
  /** False on SQLite: one node, always the executor. */
  enabled: boolean;
  /** The node that answered. */
  node: string;
  role: ClusterRole;
  /** The node holding the executor lease, or null when none does (it lapsed and nobody took it yet). */
  executor: string | null;
  leaseSec: number;
  /** How long this node's last take-over waited since the previous executor's last renewal (s), or null. */
  lastFailoverSec: number | null;
  nodes: ClusterNodeDto[];
}
