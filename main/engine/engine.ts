/**
 * The composition root: builds the journal, intake, and (as they land) execution, risk,
 * positions and tunnel from its deps, and exposes `api` (shared/api.ts) and `events`.
 * Hosts (desktop shell, `pinebridge serve`, tests) only construct it and listen.
 */
import type { Server } from 'node:http';
import type { EngineEvent, PinebridgeApi } from '../../shared/api.js';
import type { LogEntryDto, LogLevel } from '../../shared/dto/logs.js';
import type { Mode } from '../../shared/dto/mode.js';
import type { StatusDto } from '../../shared/dto/status.js';
import { mergeSettings, loadSettings, type DeepPartial, type Settings } from './core/config.js';
import { alertDispatcher } from './alert-dispatch.js';
import { EventBus } from './core/event-bus.js';
import { JournalWriter } from './intake/journal-writer.js';
import { defaultRejectionLogConfig, RejectionLog } from './intake/rejection-log.js';
import { createWebhookApp, defaultIntakeConfig } from './intake/webhook-app.js';
import { closeWebhook, hostForUrl, listenWebhook } from './intake/webhook-server.js';
import type { Journal } from './journal/journal.js';
import { createLogger, type Logger } from './core/logging/logger.js';
import type { EngineMetrics } from './ops/metrics.js';
import { exportTradesFile } from './ops/export-trades.js';
import { Ops, type StopStep } from './ops/ops.js';
import { openDataDirJournal } from './ops/open-journal.js';
import type { Readiness } from './ops/readiness.js';
import { Redactor } from './core/logging/redactor.js';
import { dataPaths, type DataPaths } from './core/paths.js';
import { systemClock, type Clock, type SecretStore, type Tunnel } from './core/ports.js';
import { createControlApi } from './control/control-api.js';
import { AckRecorder, isAlertOutcome } from './control/health.js';
import { KillSwitch } from './risk/kill-switch.js';
import { breakerEvents } from './risk/breaker-events.js';
import { CircuitBreakers } from './risk/circuit-breaker.js';
import { createRisk } from './risk/risk.js';
import { createRiskCommands } from './risk/risk-commands.js';
import { RiskStateFile } from './risk/state-file.js';
import { loadRates } from './risk/valuation.js';
import { pnlSummary } from './positions/pnl-summary.js';
import { Reconciler } from './positions/reconciler.js';
import { createTunnel } from './tunnel/index.js';
import { createExecution, type Execution } from './execution/execution.js';
import { honourContextFor } from './execution/honour-context.js';
import { createRemoteNotifier } from './notify/index.js';
import { loadOrCreateWebhookSecret } from './secrets/index.js';
import { accountMode } from './venues/venue-provider.js';
import { VERSION } from './core/version.js';

export interface EngineDeps {
  dataDir: string;
  /** Overrides on top of `<data-dir>/settings.json` for this run (flags, env). */
  overrides?: DeepPartial<Settings>;
  /** Where the webhook secret and exchange keys live. */
  secrets: SecretStore;
  /** Used instead of the stored/generated webhook secret (PINEBRIDGE_WEBHOOK_SECRET). */
  webhookSecret?: string;
  clock?: Clock;
  /** Exposes the webhook listener publicly (localtunnel or manual); none: local URL only. */
  tunnel?: Tunnel;
  log?: { level?: LogLevel; json?: boolean; console?: NodeJS.WritableStream | null; file?: boolean };
  /** Sees every SQL statement the journal runs (tests check their query plans). */
  onSql?: (sql: string) => void;
}

export interface Engine {
  readonly api: PinebridgeApi;
  readonly events: EventBus;
  readonly logger: Logger;
  readonly redactor: Redactor;
  readonly paths: DataPaths;
  readonly settings: Settings;
  /** Pause / resume trading (kept in the data dir across restarts). */
  readonly killSwitch: KillSwitch;
  /** Circuit breakers per account. */
  readonly breakers: CircuitBreakers;
  /**
   * What `GET /readyz` answers from: required parts `journal`, `worker`, `venue`. Report with
   * `readiness.set('venue', false, 'exchange unreachable: …')`, or watch with `readiness.probe`.
   */
  readonly readiness: Readiness;
  /** Prometheus metrics (`GET /metrics` on the control listener) and their hooks. */
  readonly metrics: EngineMetrics;
  /** A step `stop()` awaits (within the shutdown grace) after intake drained, before the journal closes. */
  onStop(name: string, step: StopStep): void;
  /** Opens the journal and starts listening. Resolves with the bound webhook port. */
  start(): Promise<{ webhookPort: number; webhookUrl: string }>;
  /** Graceful: stop taking alerts, finish the ones in hand, close the journal. */
  stop(): Promise<void>;
  /** Registers a secret value so it is scrubbed from logs, journal and errors. */
  addSecret(value: string | null | undefined): void;
  journal(): Journal;
  /** Resolves once the execution worker has recovered and has no alert queued or executing. */
  executionIdle(): Promise<void>;
}

const LOG_RING = 500;

export async function createEngine(deps: EngineDeps): Promise<Engine> {
  const clock = deps.clock ?? systemClock;
  const paths = dataPaths(deps.dataDir);
  const settings = mergeSettings(loadSettings(paths.settings), deps.overrides ?? {});
  const events = new EventBus();
  const redactor = new Redactor();
  const logRing: LogEntryDto[] = [];
  const logger = createLogger({
    level: deps.log?.level ?? 'info',
    json: deps.log?.json ?? false,
    console: deps.log?.console,
    file: deps.log?.file === false ? null : paths.logFile,
    rotation: { maxBytes: settings.logs.maxSizeMb * 1024 * 1024, maxFiles: settings.logs.maxFiles },
    redactor,
    onEntry: (entry) => {
      logRing.push(entry);
      if (logRing.length > LOG_RING) logRing.shift();
      events.emit({ type: 'log', entry });
    },
  });

  const webhookSecret = deps.webhookSecret ?? (await loadOrCreateWebhookSecret(deps.secrets)).secret;
  redactor.add(webhookSecret);

  let journal: Journal | null = null;
  let server: Server | null = null;
  let webhookPort: number | null = null;
  let draining = false;
  const startedAt = clock.now();
  const riskState = new RiskStateFile(paths.riskState);
  const killSwitch = new KillSwitch(riskState, () => clock.now());
  if (riskState.unreadable) logger.error(`trading paused: ${riskState.unreadable}`);
  riskState.onWriteError = (m, e) => {
    logger.error(m);
    ops.disk.writeFailed(e);
  };
  const acks = new AckRecorder();
  const ops = new Ops({
    paths,
    settings,
    logger,
    events,
    tunnel: deps.tunnel ?? null,
    now: () => clock.now(),
    version: VERSION,
    db: () => (journal?.isOpen ? journal.db : null),
  });

  // The UI's status follows the disk; a kill switch that could not be saved is saved once it can.
  ops.readiness.onChange((part) => part === 'disk' && events.emit({ type: 'status', status: status() }));
  ops.disk.onRecovered(() => {
    if (!riskState.unsaved) return;
    riskState.retryUnsaved();
    events.emit({ type: 'trading', trading: killSwitch.state() });
  });

  let execution: Execution | null = null;
  let executionStarted: Promise<void> = Promise.resolve();
  let reconciler: Reconciler | null = null;

  const breakers = new CircuitBreakers({
    settings: () => settings.breaker,
    now: () => clock.now(),
    store: riskState,
    onChange: breakerEvents({
      journal: () => journal,
      logger,
      events,
      now: () => clock.now(),
      onState: (account, state) => ops.metrics.setBreaker(account, state),
      status: () => ({ type: 'status', status: status() }),
    }),
  });
  const risk = createRisk({ settings, journal: () => openJournal(), killSwitch, breakers, now: () => clock.now(), events, logger });
  /** The breaker the status shows: an open one (halted) first, else a half-open one, else the default account's. */
  const breakerSummary = () => {
    const all = [...new Set([settings.execution.account, ...breakers.accounts()])].map((a) => breakers.state(a));
    return all.find((b) => b.state === 'open') ?? all.find((b) => b.state === 'half-open') ?? all[0];
  };
  const openJournal = (): Journal => {
    if (!journal) throw new Error('The engine is not started.');
    return journal;
  };

  const onRecorded = alertDispatcher({ journal: () => journal, execution: () => execution, killSwitch, logger, events, now: () => clock.now() });
  const status = (): StatusDto => ({
    version: VERSION,
    mode: settings.mode,
    startedAt,
    webhook: { listening: server?.listening ?? false, port: webhookPort, host: settings.webhook.host },
    journal: { path: paths.journal, alerts: journal?.isOpen ? journal.alerts.count() : 0 },
    trading: { paused: killSwitch.paused, reason: killSwitch.state().reason, ...(riskState.unsaved ? { notSaved: killSwitch.state().notSaved } : {}) },
    accountModes: settings.accounts.filter((a) => a.mode && a.mode !== settings.mode).map((a) => ({ account: a.name, mode: a.mode as Mode })),
    breaker: breakerSummary(),
    disk: ops.disk.current(),
  });

  const localWebhookUrl = () => `http://${hostForUrl(settings.webhook.host)}:${webhookPort ?? settings.webhook.port}/webhook`;

  const control = createControlApi({
    settings,
    settingsFile: paths.settings,
    secrets: deps.secrets,
    redactor,
    events,
    logger,
    clock,
    startedAt,
    journal: () => journal,
    killSwitch,
    acks,
    tunnel: deps.tunnel ?? null,
    createTunnel: (config) => createTunnel(config),
    webhookPort: () => webhookPort,
    webhookSecret: () => webhookSecret,
    localWebhookUrl: () => localWebhookUrl(),
  });

  // Telegram / Discord from the engine, so headless servers notify as the desktop does.
  const notifier = createRemoteNotifier({
    events,
    settings: () => settings.notifications,
    secrets: deps.secrets,
    redactor,
    logger,
    label: () => `Pinebridge · ${settings.mode.toUpperCase()}`,
  });

  const riskCommands = createRiskCommands({
    settings,
    secrets: deps.secrets,
    breakers,
    journal: () => openJournal(),
    now: () => clock.now(),
    logger,
    rates: async (quotes) => loadRates(quotes, openJournal(), await execution?.venues.venueFor(settings.execution.account).catch(() => null) ?? null),
  });
  const openReconciler = (): Reconciler => {
    if (!reconciler) throw Object.assign(new Error('The engine is not started.'), { code: 'not_started' });
    return reconciler;
  };

  const api: PinebridgeApi = {
    ...control.commands,
    ...riskCommands,
    getPnlSummary: async ({ account, strategy, days }) => pnlSummary(openJournal(), { modeOf: (a) => accountMode(settings, a), account, strategy, days, now: clock.now() }),
    getReconciliation: async ({ account }) => openReconciler().list(account),
    reconcile: async ({ account }) => (account ? [await openReconciler().run(account, 'manual')] : openReconciler().runAll('manual')),
    acceptReconciliation: async ({ account }) => openReconciler().accept(account),
    getStatus: async () => status(),
    getWebhookInfo: async () => {
      const pub = control.publicUrl();
      return { localUrl: localWebhookUrl(), publicUrl: pub ? `${pub.replace(/\/+$/, '')}/webhook` : null, secret: webhookSecret };
    },
    listAlerts: async (args) => openJournal().alerts.list(args),
    getAlert: async ({ id }) => openJournal().alerts.get(id),
    recentLogs: async ({ limit }) => logRing.slice(-(limit ?? 200)),
    exportTrades: async (args) => exportTradesFile(openJournal().db, args, clock.now()),
    getBalances: async ({ account }) => {
      if (!execution) throw new Error('The engine is not started.');
      const b = await execution.balances(account);
      const balances = Object.entries(b.balances)
        .filter(([, v]) => v.total !== 0 || v.free !== 0)
        .map(([currency, v]) => ({ currency, ...v }));
      return { account: b.account, mode: b.mode, exchange: b.exchange, balances };
    },
  };

  const engine: Engine = {
    api,
    events,
    logger,
    redactor,
    paths,
    settings,
    killSwitch,
    breakers,
    readiness: ops.readiness,
    metrics: ops.metrics,
    onStop: (name, step) => ops.onStop(name, step),
    addSecret: (v) => redactor.add(v),
    journal: openJournal,
    executionIdle: async () => {
      await executionStarted;
      await execution?.idle();
    },

    async start() {
      journal = openDataDirJournal(paths, logger, { beforeMigrate: ops.beforeMigrate, verbose: deps.onSql });
      ops.journalOpened();
      const exec = createExecution({
        journal: openJournal,
        settings,
        secrets: deps.secrets,
        events,
        logger,
        addSecret: (v) => redactor.add(v),
        now: () => clock.now(),
        gate: (signal, alert, account) => risk.gate(signal, alert, account),
        risk,
        health: risk.health,
        onSignalToOrder: (ms) => ops.metrics.observeSignalToOrder(ms),
        onVenue: (ok, detail) => ops.readiness.set('venue', ok, detail),
        disk: ops.disk,
      });
      execution = exec;
      const recon = new Reconciler({ settings, journal: openJournal, venues: exec.venues, now: () => clock.now(), events, logger });
      reconciler = recon;
      ops.metrics.setBreaker(settings.execution.account, breakers.state(settings.execution.account).state);
      // Re-arms breakers whose cool-down is over, with its event, even when no alert comes.
      const breakerTick = setInterval(() => breakers.tick(), 1000);
      breakerTick.unref();
      ops.onStop('reconciliation', async () => {
        clearInterval(breakerTick);
        await recon.stop();
      });
      // Orders in flight settle (bounded) before the journal closes.
      ops.onStop('execution', () => exec.stop());
      const writer = new JournalWriter(journal, onRecorded, () => clock.now());
      const rejections = new RejectionLog(defaultRejectionLogConfig, (alert) => writer.submit(alert), () => clock.now(), (e) =>
        logger.error({ err: redactor.scrub(String(e)) }, 'journal write failed: a summary of rejected requests was lost'),
      );
      const app = createWebhookApp({
        writer,
        rejections,
        tunnelPeers: () => control.activeTunnel()?.peers ?? null,
        secret: () => webhookSecret,
        redactor,
        logger,
        now: () => clock.now(),
        draining: () => draining,
        notReady: ops.notReady,
        honourContext: honourContextFor(settings),
        storageRefusal: () => ops.disk.refusal(),
        onWriteError: (e) => ops.disk.writeFailed(e),
        onAnswer: (ms, outcome, httpStatus) => {
          ops.onAnswer(ms, outcome, httpStatus);
          if (isAlertOutcome(outcome)) acks.record(clock.now(), ms);
        },
        config: {
          ...defaultIntakeConfig,
          dedupWindowMs: settings.webhook.dedupWindowSec * 1000,
          bodyTimeoutMs: settings.webhook.bodyTimeoutSec * 1000,
          tunnelBodyTimeoutMs: settings.webhook.tunnelBodyTimeoutSec * 1000,
          rateLimit: settings.webhook.rateLimit,
          trustProxy: settings.webhook.trustProxy,
          allowTradingViewIpsOnly: settings.webhook.allowTradingViewIpsOnly,
        },
      });
      const listening = await listenWebhook(ops.track(app.callback(), () => draining), settings.webhook);
      server = listening.server;
      webhookPort = listening.port;
      // The minute's rejection summaries go in before the journal closes.
      stopWriter = () => rejections.flush().then(() => writer.drain());
      logger.info({ port: webhookPort, mode: settings.mode }, `webhook listening on ${localWebhookUrl()}`);
      await notifier.start();
      // Recovery of orders left in flight runs before any new alert executes (the worker queues
      // new ones until it is done); the listener does not wait for it.
      executionStarted = exec.start().then(
        () => {
          ops.readiness.set('worker', true);
          // In-flight orders are resolved: the ledger is as complete as it gets.
          if (!draining) recon.start();
          // Between alerts too, so /readyz follows the exchange going away and coming back.
          if (!draining) ops.readiness.probe('venue', () => exec.balances(), { intervalMs: settings.readiness.venueProbeSec * 1000 });
        },
        (e: unknown) => {
          ops.readiness.set('worker', false, (e as Error).message);
          logger.error({ err: String((e as Error)?.stack ?? e) }, 'execution worker failed to start');
        },
      );
      control.startTunnelInBackground();
      events.emit({ type: 'status', status: status() } satisfies EngineEvent);
      return { webhookPort, webhookUrl: localWebhookUrl() };
    },

    stop() {
      stopping ??= (async () => {
        draining = true;
        logger.info('stopping: new alerts get 503 with Retry-After; finishing the ones in hand');
        const until = Date.now() + settings.shutdown.graceSec * 1000;
        await ops.stopBackground();
        // The listener stays open meanwhile, so a new alert is told to retry rather than refused.
        const unanswered = await ops.settleRequests(Math.max(0, until - Date.now()));
        await stopWriter();
        await notifier.stop();
        await control.closeTunnel();
        const unsettled = await ops.runStopSteps(Math.max(0, until - Date.now()));
        if (unanswered || unsettled.length) {
          logger.warn({ unanswered, unsettled }, 'stopped before everything settled; in-flight orders are resolved by clientOrderId on the next start');
        }
        if (server) await closeWebhook(server);
        journal?.close();
        ops.journalClosed();
        logger.info('stopped');
        logger.flush();
      })();
      return stopping;
    },
  };
  let stopWriter: () => Promise<void> = async () => {};
  let stopping: Promise<void> | null = null;
  return engine;
}
