/**
 * The nodes sharing one journal (several `pinebridge serve --database postgres://…`), for the
 * dashboard's Nodes card. Plain JSON: no classes, no Dates.
 */

export type ClusterRole = 'executor' | 'standby';

export interface ClusterNodeDto {
  node: string;
  host: string;
  version: string;
  /** Executor when it holds any account's executor lease now, by the database's clock; else standby. */
  role: ClusterRole;
  /** The accounts it executes now. */
  accounts: string[];
  /** Seconds since its last heartbeat, by the database's clock (the nodes' own clocks need not agree). */
  heartbeatAgoSec: number;
  /** When it started, epoch ms (its own clock). */
  startedAt: number;
  /** No heartbeat for more than twice the lease: down or paused. */
  stale: boolean;
}

export interface ClusterAccountDto {
  account: string;
  executor: string | null;
}

export interface ClusterDto {
  /** False on SQLite: one node, always the executor. */
  enabled: boolean;
  /** The node that answered. */
  node: string;
  role: ClusterRole;
  /** The node holding the executor lease (the first account's), or null when none does (it lapsed and nobody took it yet). */
  executor: string | null;
  /** Each account with the node executing it (one lease per account), or null while none does. */
  accounts: ClusterAccountDto[];
  leaseSec: number;
  /** How long this node's last take-over waited since the previous executor's last renewal (s), or null. */
  lastFailoverSec: number | null;
  nodes: ClusterNodeDto[];
}
