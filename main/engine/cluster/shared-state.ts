/**
 * Several nodes on one PostgreSQL journal share the kill switch, the circuit breakers and the
 * settings. The kill switch and breakers are built on the local file before the journal opens;
 * when it opens, `attachSharedState` moves them onto the database (the safer state wins: a node
 * paused here and not there pauses the cluster), then polls it every second, so what another node
 * changed is applied here and announced on the event bus as a local change is.
 */
import { hostname } from 'node:os';
import type { DeepPartial, Settings } from '../core/config.js';
import type { Logger } from '../core/logging/logger.js';
import type { SettingsCommandDeps } from '../control/settings-commands.js';
import type { Journal } from '../journal/journal.js';
import { SharedStateTable } from '../journal/shared-state.js';
import type { CircuitBreakers } from '../risk/circuit-breaker.js';
import type { KillSwitch } from '../risk/kill-switch.js';
import type { SwappableRiskStore } from '../risk/risk-store.js';
import type { RiskStateFile } from '../risk/state-file.js';
import { PgRiskStore } from './pg-risk-store.js';
import { SharedSettings } from './shared-settings.js';

/** This node's name among the nodes of one journal (`cluster.node`, or host and pid). */
export const nodeName = (s: Settings): string => s.cluster.node ?? `${hostname()}-${process.pid}`;

export interface SharedStateDeps {
  journal: Journal;
  node: string;
  store: SwappableRiskStore;
  file: RiskStateFile;
  killSwitch: KillSwitch;
  breakers: CircuitBreakers;
  settings: SettingsCommandDeps;
  overrides: DeepPartial<Settings>;
  logger: Logger;
  now: () => number;
  pollMs?: number;
}

/** Moves the risk state and settings onto the shared journal and starts following it; the function stops it. */
export async function attachSharedState(d: SharedStateDeps): Promise<() => Promise<void>> {
  const table = new SharedStateTable(d.journal.db);
  const pg = new PgRiskStore(table, d.file, d.node, d.now);

  // A pause held here and newer than the cluster's last change (made while this node was alone,
  // or its state unreadable) pauses the cluster; a pause older than that (the cluster resumed
  // since) is this node's stale cache, and the cluster's state is taken.
  const local = d.killSwitch.persisted();
  const shared = pg.trading();
  if (!shared || (local.paused && !shared.paused && (shared.changedAt ?? 0) <= (local.changedAt ?? Number.POSITIVE_INFINITY))) {
    if (shared) d.logger.warn({ reason: local.reason }, 'trading: this node was paused and the cluster was not: the cluster is paused (the safer state)');
    pg.saveTrading({ ...local, lastPausedAt: Math.max(local.lastPausedAt ?? 0, shared?.lastPausedAt ?? 0) || null });
  } else {
    d.killSwitch.adopt(shared);
  }
  // A breaker the cluster has never seen (this node's, from before it joined) is written; one it
  // has (open or closed since) is the cluster's: this node's file is only a cache.
  const sharedBreakers = pg.breakers();
  for (const [account, b] of Object.entries(d.file.breakers())) {
    if (pg.knowsBreaker(account)) {
      if (!sharedBreakers[account]) d.breakers.adopt(account, null);
    } else pg.saveBreaker(account, b);
  }
  for (const [account, b] of Object.entries(sharedBreakers)) d.breakers.adopt(account, b);
  d.store.use(pg);

  const settings = new SharedSettings({ table, node: d.node, now: d.now, settings: d.settings, overrides: d.overrides, logger: d.logger });
  await settings.attach();
  d.settings.publish = (stored) => settings.publish(stored);

  let unreachable = false;
  let busy: Promise<void> | null = null;
  const poll = async () => {
    try {
      pg.retryUnsaved();
      const changes = pg.poll();
      if (changes.trading) d.killSwitch.adopt(changes.trading);
      for (const [account, b] of changes.breakers) d.breakers.adopt(account, b);
      await settings.poll();
      if (unreachable) d.logger.info('shared state: the cluster database answers again; following it');
      unreachable = false;
    } catch (e) {
      if (!unreachable) d.logger.warn({ err: (e as Error).message }, 'shared state: the cluster database is unreachable; this node keeps the state it holds (a pause holds) and retries');
      unreachable = true;
    }
  };
  const timer = setInterval(() => {
    busy ??= poll().finally(() => (busy = null));
  }, d.pollMs ?? 1000);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await busy;
    delete d.settings.publish;
  };
}
