/**
 * What the dashboard reads about the engine itself: its status, health figures, recent log lines,
 * the webhook's URLs and secret, and the setup wizard's test alert. All answer before the engine
 * starts too (with what is known then), which is why they take the journal as "open or null".
 */
import type { LogEntryDto } from '../../../shared/dto/logs.js';
import type { Mode } from '../../../shared/dto/mode.js';
import type { StatusDto } from '../../../shared/dto/status.js';
import type { Handlers } from '../core/commands.js';
import type { Settings } from '../core/config.js';
import type { DiskState } from '../core/disk-guard.js';
import { VERSION } from '../core/version.js';
import type { Journal } from '../journal/journal.js';
import type { CircuitBreakers } from '../risk/circuit-breaker.js';
import type { KillSwitch } from '../risk/kill-switch.js';
import type { RiskStore } from '../risk/risk-store.js';
import type { TunnelStatusDto } from '../../../shared/dto/tunnel.js';
import { computeHealth, type AckRecorder } from './health.js';
import { engineState } from './engine-state.js';
import { sendTestAlert } from './test-alert.js';

export interface StatusCommandDeps {
  settings: Settings;
  startedAt: number;
  now: () => number;
  journalPath: string;
  /** The journal while it is open, else null. */
  journal: () => Journal | null;
  webhook: () => { listening: boolean; port: number | null };
  localWebhookUrl: () => string;
  webhookSecret: string;
  tunnel: { status: () => TunnelStatusDto; publicUrl: () => string | null };
  killSwitch: KillSwitch;
  riskState: RiskStore;
  breakers: CircuitBreakers;
  disk: () => DiskState;
  acks: AckRecorder;
  recentLogs: () => readonly LogEntryDto[];
  /** The readiness parts that are not ready (what `/readyz` answers 503 for), labelled. */
  failing: () => { part: string; detail: string | null }[];
  /** The default account's exchange id, or `paper`. */
  exchange: () => string;
}

export type StatusCommandName = 'getStatus' | 'getHealth' | 'recentLogs' | 'getWebhookInfo' | 'sendTestAlert';

/** The engine's status as the UI, the tray and `status` events show it. */
export function engineStatus(d: StatusCommandDeps): StatusDto {
  const s = d.settings;
  const journal = d.journal();
  const trading = d.killSwitch.state();
  const breakers = [...new Set([s.execution.account, ...d.breakers.accounts()])].map((a) => d.breakers.state(a));
  return {
    state: engineState({ failing: d.failing(), breakers, paused: d.killSwitch.paused, pauseReason: trading.reason, tunnel: d.tunnel.status(), exchange: d.exchange() }),
    version: VERSION,
    mode: s.mode,
    startedAt: d.startedAt,
    webhook: { ...d.webhook(), host: s.webhook.host },
    journal: { path: d.journalPath, alerts: journal ? journal.alerts.count() : 0 },
    trading: { paused: d.killSwitch.paused, reason: trading.reason, ...(d.riskState.unsaved ? { notSaved: trading.notSaved } : {}) },
    accountModes: s.accounts.filter((a) => a.mode && a.mode !== s.mode).map((a) => ({ account: a.name, mode: a.mode as Mode })),
    breaker: breakerSummary(d),
    disk: d.disk(),
  };
}

/** The breaker the status shows: an open one (halted) first, else a half-open one, else the default account's. */
function breakerSummary(d: StatusCommandDeps) {
  const all = [...new Set([d.settings.execution.account, ...d.breakers.accounts()])].map((a) => d.breakers.state(a));
  return all.find((b) => b.state === 'open') ?? all.find((b) => b.state === 'half-open') ?? all[0];
}

export function statusCommands(d: StatusCommandDeps): Handlers<StatusCommandName> {
  return {
    getStatus: async () => engineStatus(d),
    getHealth: async () => computeHealth({ journal: d.journal(), acks: d.acks, now: d.now(), startedAt: d.startedAt, tunnel: d.tunnel.status() }),
    recentLogs: async ({ limit }) => d.recentLogs().slice(-(limit ?? 200)),
    getWebhookInfo: async () => {
      const pub = d.tunnel.publicUrl();
      return { localUrl: d.localWebhookUrl(), publicUrl: pub ? `${pub.replace(/\/+$/, '')}/webhook` : null, secret: d.webhookSecret };
    },
    sendTestAlert: (a) =>
      sendTestAlert({ settings: d.settings, secret: () => d.webhookSecret, localUrl: d.localWebhookUrl, publicUrl: d.tunnel.publicUrl, now: d.now }, a),
  };
}
