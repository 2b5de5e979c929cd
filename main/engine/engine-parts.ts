/**
 * The engine's first step: the parts that need no journal (settings, logging, the webhook secret,
 * the kill switch and breakers, ops, notifications, the tunnel) and the commands they answer from
 * construction on. The journal and what reads it come in the running step (engine-running.ts).
 */
import type { LogEntryDto } from '../../shared/dto/logs.js';
import { AccountReach } from './core/account-reach.js';
import { mergeHandlers, whileRunning, type Handlers } from './core/commands.js';
import { mergeSettings, loadSettings } from './core/config.js';
import { EventBus } from './core/event-bus.js';
import { createLogger } from './core/logging/logger.js';
import { Redactor } from './core/logging/redactor.js';
import { dataPaths } from './core/paths.js';
import { systemClock } from './core/ports.js';
import { VERSION } from './core/version.js';
import { createCredentialCommands, type CredentialCommandName } from './control/credential-commands.js';
import { AckRecorder } from './control/health.js';
import { createSettingsCommands, type SettingsCommandDeps, type SettingsCommandName } from './control/settings-commands.js';
import { engineStatus, statusCommands, type StatusCommandDeps, type StatusCommandName } from './control/status-commands.js';
import type { EngineDeps } from './engine-deps.js';
import type { Execution } from './execution/execution.js';
import { hostForUrl } from './intake/webhook-server.js';
import type { WebhookListener } from './intake-thread.js';
import type { Journal } from './journal/journal.js';
import { createRemoteNotifier } from './notify/index.js';
import { Ops } from './ops/ops.js';
import { PART_LABELS } from './ops/readiness.js';
import { accountExchange, accountMode } from './venues/venue-provider.js';
import { breakerEvents } from './risk/breaker-events.js';
import { CircuitBreakers } from './risk/circuit-breaker.js';
import { KillSwitch } from './risk/kill-switch.js';
import { createRiskCommands, type RiskCommands } from './risk/risk-commands.js';
import { SwappableRiskStore } from './risk/risk-store.js';
import { RiskStateFile } from './risk/state-file.js';
import { loadRates } from './risk/valuation.js';
import { loadOrCreateWebhookSecret } from './secrets/index.js';
import { createTunnel } from './tunnel/index.js';
import { createTunnelCommands, type TunnelCommandName } from './tunnel/tunnel-commands.js';

const LOG_RING = 500;

/** What the running step sets and the standing parts read (null / false while not running). */
export interface LiveState {
  journal: Journal | null;
  execution: Execution | null;
  webhook: WebhookListener | null;
  webhookPort: number | null;
  draining: boolean;
}

export type StandingParts = Awaited<ReturnType<typeof buildStandingParts>>;

export async function buildStandingParts(deps: EngineDeps) {
  const clock = deps.clock ?? systemClock;
  const now = () => clock.now();
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

  const live: LiveState = { journal: null, execution: null, webhook: null, webhookPort: null, draining: false };
  const openJournal = () => (live.journal?.isOpen ? live.journal : null);
  const startedAt = clock.now();
  const riskFile = new RiskStateFile(paths.riskState);
  // On the file until a PostgreSQL journal opens: then the shared store (cluster/shared-state.ts).
  const riskState = new SwappableRiskStore(riskFile);
  const killSwitch = new KillSwitch(riskState, now);
  if (riskState.unreadable) logger.error(`trading paused: ${riskState.unreadable}`);
  const acks = new AckRecorder();
  const ops = new Ops({ paths, settings, logger, events, now, version: VERSION, db: () => openJournal()?.db ?? null });
  riskState.onWriteError = (m, e) => {
    logger.error(m);
    ops.disk.writeFailed(e);
  };

  const status = () => engineStatus(statusDeps);
  // The UI's status follows readiness (the one state: exchange, journal, disk…), the kill switch
  // and the tunnel; a kill switch that could not be saved is saved once it can.
  ops.readiness.onChange(() => events.emit({ type: 'status', status: status() }));
  events.subscribe((e) => {
    if (e.type === 'trading' || e.type === 'tunnel') events.emit({ type: 'status', status: status() });
  });
  ops.disk.onRecovered(() => {
    if (!riskState.unsaved) return;
    riskState.retryUnsaved();
    events.emit({ type: 'trading', trading: killSwitch.state() });
  });

  const reach = new AccountReach();
  const breakers = new CircuitBreakers({
    settings: () => settings.breaker,
    now,
    store: riskState,
    onChange: breakerEvents({
      // A breaker can be reset by hand before the engine starts: its event is then not journaled.
      journal: openJournal,
      logger,
      events,
      now,
      onState: (account, state) => ops.metrics.setBreaker(account, state),
      status: () => ({ type: 'status', status: status() }),
    }),
    // A count, not a change: streamed (the account card follows it), neither logged nor journaled.
    onFailure: (b) => {
      events.emit({ type: 'breaker', account: b.account, breaker: b });
      events.emit({ type: 'status', status: status() });
    },
    // Another node's change (logged and journaled there): streamed here.
    onAdopted: (b) => {
      ops.metrics.setBreaker(b.account, b.state);
      events.emit({ type: 'breaker', account: b.account, breaker: b });
      events.emit({ type: 'status', status: status() });
    },
  });

  const localWebhookUrl = () => `http://${hostForUrl(settings.webhook.host)}:${live.webhookPort ?? settings.webhook.port}/webhook`;
  // The engine's one tunnel: both hosts get it from here.
  const tunnel = createTunnelCommands({
    settings,
    settingsFile: paths.settings,
    tunnel: deps.tunnel ?? null,
    createTunnel: (config) => createTunnel(config),
    webhookPort: () => live.webhookPort,
    events,
    logger,
  });
  ops.metrics.setTunnelSource(() => tunnel.active()?.status() ?? null);

  // Telegram / Discord from the engine, so headless servers notify as the desktop does.
  const notifier = createRemoteNotifier({
    events,
    settings: () => settings.notifications,
    secrets: deps.secrets,
    redactor,
    logger,
    label: () => `Pinebridge · ${settings.mode.toUpperCase()}`,
  });

  const statusDeps: StatusCommandDeps = {
    settings,
    startedAt,
    now,
    journalPath: paths.journal,
    journal: openJournal,
    webhook: () => ({ listening: live.webhook?.listening() ?? false, port: live.webhookPort }),
    localWebhookUrl,
    webhookSecret,
    tunnel,
    killSwitch,
    riskState,
    breakers,
    disk: () => ops.disk.current(),
    acks,
    recentLogs: () => logRing,
    failing: () =>
      Object.entries(ops.readiness.snapshot())
        .filter(([, st]) => !st.ok)
        .map(([part, st]) => ({ part: PART_LABELS[part] ?? part, detail: st.detail })),
    exchange: () => (accountMode(settings, settings.execution.account) === 'paper' ? 'paper' : accountExchange(settings, settings.execution.account).exchange),
  };
  const settingsDeps: SettingsCommandDeps = { settings, settingsFile: paths.settings, secrets: deps.secrets, redactor, events, logger, now };
  const journal = whileRunning(openJournal);
  const commands: Handlers<StandingCommandName> = mergeHandlers(
    statusCommands(statusDeps),
    createSettingsCommands(settingsDeps),
    createCredentialCommands({ settings, secrets: deps.secrets, redactor, logger, checksFile: paths.keyChecks, now }),
    tunnel.commands,
    createRiskCommands({
      settings,
      secrets: deps.secrets,
      breakers,
      reach,
      killSwitch,
      events,
      journal,
      now,
      logger,
      rates: async (quotes) =>
        loadRates(quotes, journal(), (await live.execution?.venues.venueFor(settings.execution.account).catch(() => null)) ?? null),
    }),
  );

  return { clock, now, paths, settings, events, redactor, logger, webhookSecret, live, riskState, riskFile, settingsDeps, killSwitch, acks, ops, breakers, reach, tunnel, notifier, status, localWebhookUrl, commands };
}

/** The commands that answer before the engine starts (the others need its journal). */
export type StandingCommandName = StatusCommandName | SettingsCommandName | CredentialCommandName | TunnelCommandName | keyof RiskCommands;
