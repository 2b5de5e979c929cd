/**
 * The engine's running steps: with the journal it opened (passed here once), build what reads
 * and writes it (risk checks, execution, reconciliation, intake, the journal's commands), then
 * start them: listen for webhooks, recover orders in flight, reconcile, start the tunnel.
 */
import { hostname } from 'node:os';
import type { SecretStore } from './core/ports.js';
import { mergeHandlers, type Handlers } from './core/commands.js';
import type { CommandName } from '../../shared/api.js';
import { alertDispatcher } from './alert-dispatch.js';
import { isAlertOutcome } from './control/health.js';
import { createLatencyCommands } from './control/latency-commands.js';
import { ledgerCommands } from './control/ledger-queries.js';
import type { StandingCommandName, StandingParts } from './engine-parts.js';
import { balanceCommands } from './execution/balance-commands.js';
import { accountFor, configuredAccounts } from './execution/exec-deps.js';
import type { Signal } from './signals/signal.js';
import { createExecution, type Execution } from './execution/execution.js';
import { honourContextFor } from './execution/honour-context.js';
import { JournalWriter } from './intake/journal-writer.js';
import { defaultRejectionLogConfig, RejectionLog } from './intake/rejection-log.js';
import { createWebhookApp, defaultIntakeConfig, type IntakeConfig } from './intake/webhook-app.js';
import { mainThreadListener, startIntakeThread, type WebhookListener } from './intake-thread.js';
import { listenWebhook } from './intake/webhook-server.js';
import { alertCommands } from './journal/alert-commands.js';
import type { Journal } from './journal/journal.js';
import { exportCommands } from './ops/export-commands.js';
import { createBacktestCommands } from './positions/backtest-commands.js';
import { positionCommands } from './positions/position-commands.js';
import { Reconciler } from './positions/reconciler.js';
import { createRisk } from './risk/risk.js';
import { clusterCommands } from './cluster/cluster-commands.js';
import { ExecutorLease } from './cluster/executor-lease.js';
import { nodeName } from './cluster/shared-state.js';
import { VERSION } from './core/version.js';

export interface RunningParts {
  journal: Journal;
  execution: Execution;
  reconciler: Reconciler;
  /** Starts the webhook listener: in the intake thread, or on this thread (where.thread false). */
  intake: () => Promise<WebhookListener>;
  /** The commands that need the journal (the others answer from the standing parts). */
  commands: Handlers<Exclude<CommandName, StandingCommandName>>;
  /** Several nodes on one PostgreSQL journal: this node's hold on the executor lease; null on SQLite. */
  lease: ExecutorLease | null;
}

/** Where the intake runs: the journal's location (the thread opens its own connection to it). */
export interface IntakePlace {
  thread: boolean;
  /** The SQLite file or the PostgreSQL URL (unmasked: the thread connects with it). */
  location: string;
}

/** Builds the parts that use the journal. Nothing is started yet. */
export function buildRunningParts(p: StandingParts, secrets: SecretStore, journal: Journal, where: IntakePlace): RunningParts {
  const { settings, events, logger, redactor, ops, now, live } = p;
  const risk = createRisk({ settings, journal: () => journal, killSwitch: p.killSwitch, breakers: p.breakers, now, events, logger });
  // Several nodes on one PostgreSQL journal: one executes at a time (the executor lease).
  let lease: ExecutorLease | null = null;
  const execution: Execution = createExecution({
    executor:
      journal.kind === 'postgres'
        ? { holds: (account?: string) => lease?.holds(account) ?? false, sendWindow: (account: string) => lease?.sendWindow(account) ?? null }
        : undefined,
    journal: () => journal,
    settings,
    secrets,
    events,
    logger,
    addSecret: (v) => redactor.add(v),
    now,
    gate: (signal, alert, account) => risk.gate(signal, alert, account),
    stale: (strategy, account, alert) => risk.stale(strategy, account, alert),
    risk,
    // An order the exchange accepted is an answer: the account card's last answer time.
    health: { failure: risk.health.failure, success: (account) => (p.reach.answered(account, now()), risk.health.success(account)) },
    onSignalToOrder: (ms) => ops.metrics.observeSignalToOrder(ms),
    onVenue: (ok, detail, account) => {
      ops.readiness.set('venue', ok, detail);
      if (!ok && account) p.reach.unreachable(account, detail ?? 'no answer');
    },
    disk: ops.disk,
  });
  ops.onStop('risk log', async () => risk.flushLog());
  const node = nodeName(settings);
  if (journal.kind === 'postgres') {
    lease = new ExecutorLease({
      journal,
      node,
      version: VERSION,
      leaseMs: settings.cluster.leaseSec * 1000,
      logger,
      accounts: () => configuredAccounts(settings),
      accountOfAlert: (alertId) => {
        const signal = journal.alerts.get(alertId)?.signal as Signal | undefined;
        // Without a signal it is failed by whichever node executes the default account (worker.keyFor).
        return signal ? accountFor(signal, settings) : settings.execution.account;
      },
      onGain: (accounts) => execution.takeOver(accounts),
      onFailover: (ms) => ops.metrics.observeFailover(ms),
    });
  }
  const reconciler = new Reconciler({ settings, journal, venues: execution.venues, now, events, logger });

  const onRecorded = alertDispatcher({ journal, execution, killSwitch: p.killSwitch, logger, events, now });
  ops.onStop('alert log', async () => onRecorded.flushLog());
  const onAnswer = (ms: number, outcome: string, httpStatus: number) => {
    ops.onAnswer(ms, outcome, httpStatus);
    if (isAlertOutcome(outcome)) p.acks.record(now(), ms);
  };
  const config: IntakeConfig = {
    ...defaultIntakeConfig,
    dedupWindowMs: settings.webhook.dedupWindowSec * 1000,
    bodyTimeoutMs: settings.webhook.bodyTimeoutSec * 1000,
    tunnelBodyTimeoutMs: settings.webhook.tunnelBodyTimeoutSec * 1000,
    rateLimit: settings.webhook.rateLimit,
    trustProxy: settings.webhook.trustProxy,
    allowTradingViewIpsOnly: settings.webhook.allowTradingViewIpsOnly,
  };
  const cluster = () => lease?.brief() ?? null;
  const tunnelPeers = () => p.tunnel.active()?.peers ?? null;
  const intake = (): Promise<WebhookListener> => {
    if (!where.thread) return listenOnMainThread();
    return startIntakeThread({
      location: where.location,
      listen: settings.webhook,
      config,
      settings,
      secret: p.webhookSecret,
      redactor,
      logger,
      events,
      state: () => ({ draining: live.draining, notReady: ops.notReady(), storageRefusal: ops.disk.refusal(), cluster: cluster() }),
      onStateChange: (changed) => ops.readiness.onChange(changed),
      tunnelPeers,
      onRecorded,
      onAnswer,
      onWriteError: (e) => ops.disk.writeFailed(e),
    });
  };
  // An engine given a clock (tests that move time) keeps the intake on its own thread: a clock
  // cannot be handed to another one.
  const listenOnMainThread = async (): Promise<WebhookListener> => {
    const writer = new JournalWriter(journal, onRecorded, now);
    const rejections = new RejectionLog(defaultRejectionLogConfig, (alert) => writer.submit(alert), now, (e) =>
      logger.error({ err: redactor.scrub(String(e)) }, 'journal write failed: a summary of rejected requests was lost'),
    );
    const app = createWebhookApp({
      writer,
      rejections,
      cluster,
      tunnelPeers,
      secret: () => p.webhookSecret,
      redactor,
      logger,
      now,
      draining: () => live.draining,
      notReady: ops.notReady,
      honourContext: honourContextFor(settings),
      storageRefusal: () => ops.disk.refusal(),
      onWriteError: (e) => ops.disk.writeFailed(e),
      onAnswer,
      config,
    });
    const { server, port } = await listenWebhook(ops.track(app.callback(), () => live.draining), settings.webhook);
    // The minute's rejection summaries go in before the journal closes.
    return mainThreadListener(server, port, (ms) => ops.settleRequests(ms), () => rejections.flush().then(() => writer.drain()));
  };

  const commands = mergeHandlers(
    alertCommands(journal),
    ledgerCommands(journal),
    exportCommands(journal, now),
    balanceCommands(execution),
    positionCommands({ settings, journal, reconciler, now }),
    createLatencyCommands({ journal, now }),
    createBacktestCommands({ settings, journal, now, logger }),
    clusterCommands({ journal, lease, node, host: hostname(), version: VERSION, leaseSec: settings.cluster.leaseSec, startedAt: now(), accounts: configuredAccounts(settings) }),
  );
  return { journal, execution, reconciler, intake, commands, lease };
}

/**
 * Starts the running parts: the webhook listener first (alerts are journaled from then on), then
 * recovery of the orders left in flight (the worker queues new alerts until it is done; the
 * listener does not wait for it), reconciliation, the venue probe, the tunnel.
 * Resolves with the listener's port; `started` settles once the worker has recovered.
 */
export async function startRunning(p: StandingParts, r: RunningParts): Promise<{ webhookPort: number; webhookUrl: string; started: Promise<void> }> {
  const { settings, logger, ops, live, breakers, now } = p;
  ops.metrics.setBreaker(settings.execution.account, breakers.state(settings.execution.account).state);
  // Re-arms breakers whose cool-down is over, with its event, even when no alert comes.
  const breakerTick = setInterval(() => breakers.tick(), 1000);
  breakerTick.unref();
  ops.onStop('reconciliation', async () => {
    clearInterval(breakerTick);
    await r.reconciler.stop();
  });
  // Orders in flight settle (bounded) before the journal closes.
  // The lease is given up once the orders in flight settled: a standby takes over at once.
  ops.onStop('execution', async () => {
    await r.execution.stop();
    r.lease?.stop();
  });

  const listening = await r.intake();
  live.webhook = listening;
  live.webhookPort = listening.port;
  logger.info({ port: listening.port, mode: settings.mode, intakeThread: listening.thread }, `webhook listening on ${p.localWebhookUrl()}`);
  if (settings.execution.maxSignalAgeSec !== undefined) {
    logger.warn(
      { setting: 'execution.maxSignalAgeSec', value: settings.execution.maxSignalAgeSec, maxAlertAgeSec: settings.limits.maxAlertAgeSec },
      'execution.maxSignalAgeSec in settings.json is no longer read: the max alert age (Settings > Limits, limits.maxAlertAgeSec) bounds every age check, an alert without a time field by how long it has waited since it arrived',
    );
  }
  await p.notifier.start();
  const started = r.execution.start().then(
    () => {
      ops.readiness.set('worker', true);
      // The worker is ready: asking for the lease now, its take-over recovers and executes.
      r.lease?.start();
      // In-flight orders are resolved: the ledger is as complete as it gets.
      if (!live.draining) r.reconciler.start();
      // Between alerts too, so /readyz follows the exchange going away and coming back.
      const account = settings.execution.account;
      const probe = () =>
        r.execution.balances().then(
          (b) => (p.reach.answered(account, now()), b),
          (e: unknown) => {
            p.reach.unreachable(account, e instanceof Error ? e.message : String(e));
            throw e;
          },
        );
      if (!live.draining) ops.readiness.probe('venue', probe, { intervalMs: settings.readiness.venueProbeSec * 1000 });
    },
    (e: unknown) => {
      ops.readiness.set('worker', false, (e as Error).message);
      logger.error({ err: String((e as Error)?.stack ?? e) }, 'execution worker failed to start');
    },
  );
  p.tunnel.startInBackground();
  p.events.emit({ type: 'status', status: p.status() });
  return { webhookPort: listening.port, webhookUrl: p.localWebhookUrl(), started };
}
