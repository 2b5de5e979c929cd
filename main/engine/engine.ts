/**
 * The composition root, in named steps: `buildStandingParts` (settings, logging, kill switch,
 * breakers, ops, tunnel and the commands that need no journal), then on `start()`: open the
 * journal, `buildRunningParts` with it (execution, reconciliation, intake, the journal's
 * commands), `startRunning`. Hosts (desktop shell, `pinebridge serve`, tests) only construct it
 * and listen.
 */
import type { PinebridgeApi } from '../../shared/api.js';
import { joinHandlers, notStarted } from './core/commands.js';
import type { Settings } from './core/config.js';
import type { EventBus } from './core/event-bus.js';
import type { Logger } from './core/logging/logger.js';
import type { Redactor } from './core/logging/redactor.js';
import type { DataPaths } from './core/paths.js';
import type { Tunnel } from './core/ports.js';
import type { EngineDeps } from './engine-deps.js';
import { attachSharedState, nodeName } from './cluster/shared-state.js';
import { buildStandingParts } from './engine-parts.js';
import { buildRunningParts, startRunning, type RunningParts } from './engine-running.js';
import type { Journal } from './journal/journal.js';
import type { EngineMetrics } from './ops/metrics.js';
import type { StopStep } from './ops/ops.js';
import { markCleanStop } from './ops/clean-stop.js';
import { openDataDirJournal } from './ops/open-journal.js';
import type { Readiness } from './ops/readiness.js';
import type { CircuitBreakers } from './risk/circuit-breaker.js';
import type { KillSwitch } from './risk/kill-switch.js';

export type { EngineDeps } from './engine-deps.js';

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
  /** The public tunnel in use (built from settings, or the one given), if any. */
  tunnel(): Tunnel | null;
  /** Resolves once the execution worker has recovered and has no alert queued or executing. */
  executionIdle(): Promise<void>;
}

export async function createEngine(deps: EngineDeps): Promise<Engine> {
  const p = await buildStandingParts(deps);
  const { live, ops, logger, settings } = p;
  let running: RunningParts | null = null;
  let started: Promise<void> = Promise.resolve();
  let stopping: Promise<void> | null = null;
  // A command that needs the journal answers `not_started` before start and after stop.
  const api = joinHandlers(p.commands, () => (running?.journal.isOpen ? running.commands : null));

  const engine: Engine = {
    api,
    events: p.events,
    logger,
    redactor: p.redactor,
    paths: p.paths,
    settings,
    killSwitch: p.killSwitch,
    breakers: p.breakers,
    readiness: ops.readiness,
    metrics: ops.metrics,
    onStop: (name, step) => ops.onStop(name, step),
    addSecret: (v) => p.redactor.add(v),
    journal: () => {
      if (!live.journal) throw notStarted();
      return live.journal;
    },
    tunnel: () => p.tunnel.active(),
    executionIdle: async () => {
      await started;
      await running?.execution.idle();
    },

    async start() {
      const journal = openDataDirJournal(p.paths, logger, { beforeMigrate: ops.beforeMigrate, verbose: deps.onSql }, deps.databaseUrl);
      live.journal = journal;
      ops.journalOpened();
      // Several nodes: the kill switch, breakers and settings move onto the shared journal first.
      if (journal.kind === 'postgres') {
        const { riskState: store, riskFile: file, killSwitch, breakers, settingsDeps, now } = p;
        const detach = await attachSharedState({ journal, node: nodeName(settings), store, file, killSwitch, breakers, settings: settingsDeps, overrides: deps.overrides ?? {}, logger, now });
        ops.onStop('shared state', detach);
      }
      const r = buildRunningParts(p, deps.secrets, journal, { thread: deps.clock === undefined && journal.kind === 'sqlite', location: deps.databaseUrl ?? p.paths.journal });
      running = r;
      live.execution = r.execution;
      const up = await startRunning(p, r);
      started = up.started;
      return { webhookPort: up.webhookPort, webhookUrl: up.webhookUrl };
    },

    stop() {
      stopping ??= (async () => {
        live.draining = true;
        live.webhook?.refresh();
        logger.info('stopping: new alerts get 503 with Retry-After; finishing the ones in hand');
        const until = Date.now() + settings.shutdown.graceSec * 1000;
        await ops.stopBackground();
        // The listener stays open meanwhile, so a new alert is told to retry rather than refused.
        const unanswered = (await live.webhook?.settle(Math.max(0, until - Date.now()))) ?? 0;
        await live.webhook?.drain();
        await p.notifier.stop();
        await p.tunnel.close();
        const unsettled = await ops.runStopSteps(Math.max(0, until - Date.now()));
        if (unanswered || unsettled.length) {
          logger.warn({ unanswered, unsettled }, 'stopped before everything settled; in-flight orders are resolved by clientOrderId on the next start');
        }
        // The intake thread's journal connection closes with its listener, before the engine's own.
        await live.webhook?.close();
        live.journal?.close();
        // Only a journal this stop closed counts as a clean stop (the next start skips its quick_check).
        if (live.journal?.kind === 'sqlite' && !live.journal.isOpen) markCleanStop(p.paths);
        ops.journalClosed();
        logger.info('stopped');
        logger.flush();
      })();
      return stopping;
    },
  };
  return engine;
}
