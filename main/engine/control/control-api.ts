/**
 * The control commands beyond intake's own queries: kill switch, settings and strategies,
 * exchange keys, tunnel, test alert, health, the ledger views, latency attribution and live vs
 * backtest. The engine spreads `commands` into its `api`; every transport (IPC, HTTP) then
 * serves them unchanged.
 */
import type { PinebridgeApi } from '../../../shared/api.js';
import type { Settings } from '../core/config.js';
import type { EventBus } from '../core/event-bus.js';
import type { Journal } from '../journal/journal.js';
import type { Logger } from '../core/logging/logger.js';
import type { Redactor } from '../core/logging/redactor.js';
import type { Clock, SecretStore, Tunnel } from '../core/ports.js';
import type { KillSwitch } from '../risk/kill-switch.js';
import { createBacktestCommands } from '../positions/backtest-commands.js';
import { createCredentialCommands } from './credential-commands.js';
import { createLatencyCommands } from './latency-commands.js';
import { computeHealth, type AckRecorder } from './health.js';
import { getPositions, listFills, listOrders, pnlHistory } from './ledger-queries.js';
import { coded, createSettingsCommands } from './settings-commands.js';
import { sendTestAlert } from './test-alert.js';
import { createTunnelCommands, type TunnelFactory } from './tunnel-commands.js';

/**
 * The commands built here. The engine answers the others itself or through other parts, so a new
 * command elsewhere needs no change in this file.
 */
export type ControlCommandName =
  | 'pauseTrading'
  | 'resumeTrading'
  | 'getSettings'
  | 'updateSettings'
  | 'saveStrategy'
  | 'deleteStrategy'
  | 'setNotificationSecret'
  | 'listCredentials'
  | 'setCredentials'
  | 'deleteCredentials'
  | 'checkCredentials'
  | 'getTunnelStatus'
  | 'startTunnel'
  | 'stopTunnel'
  | 'probeTunnel'
  | 'sendTestAlert'
  | 'getHealth'
  | 'listOrders'
  | 'listFills'
  | 'getPositions'
  | 'getPnlHistory'
  | 'getAlertLatency'
  | 'getLatencyStats'
  | 'importBacktest'
  | 'getBacktestComparison';
export type ControlCommands = Pick<PinebridgeApi, ControlCommandName>;

export interface ControlApiDeps {
  settings: Settings;
  settingsFile: string;
  secrets: SecretStore;
  redactor: Redactor;
  events: EventBus;
  logger: Logger;
  clock: Clock;
  startedAt: number;
  journal: () => Journal | null;
  killSwitch: KillSwitch;
  acks: AckRecorder;
  tunnel: Tunnel | null;
  createTunnel: TunnelFactory;
  webhookPort: () => number | null;
  webhookSecret: () => string;
  localWebhookUrl: () => string;
}

export function createControlApi(d: ControlApiDeps) {
  const now = () => d.clock.now();
  const settings = createSettingsCommands({ ...d, now });
  const credentials = createCredentialCommands(d);
  const tunnel = createTunnelCommands(d);
  const journal = (): Journal => {
    const j = d.journal();
    if (!j?.isOpen) throw coded('not_started', 'The engine is not started.');
    return j;
  };

  d.killSwitch.onChange((trading) => {
    d.logger.warn({ paused: trading.paused, reason: trading.reason }, trading.paused ? `trading paused: ${trading.reason}` : 'trading resumed');
    d.events.emit({ type: 'trading', trading });
  });

  const commands: ControlCommands = {
    pauseTrading: async ({ reason }) => d.killSwitch.pause(reason, now()),
    resumeTrading: async () => d.killSwitch.resume(now()),

    getSettings: () => settings.getSettings(),
    updateSettings: (a) => settings.updateSettings(a),
    saveStrategy: (a) => settings.saveStrategy(a),
    deleteStrategy: (a) => settings.deleteStrategy(a),
    setNotificationSecret: (a) => settings.setNotificationSecret(a),

    listCredentials: () => credentials.listCredentials(),
    setCredentials: (a) => credentials.setCredentials(a),
    deleteCredentials: (a) => credentials.deleteCredentials(a),
    checkCredentials: (a) => credentials.checkCredentials(a),

    getTunnelStatus: () => tunnel.getTunnelStatus(),
    startTunnel: () => tunnel.startTunnel(),
    stopTunnel: () => tunnel.stopTunnel(),
    probeTunnel: () => tunnel.probeTunnel(),

    sendTestAlert: (a) =>
      sendTestAlert({ settings: d.settings, secret: d.webhookSecret, localUrl: d.localWebhookUrl, publicUrl: tunnel.publicUrl, now }, a),

    getHealth: async () => {
      const t = tunnel.status();
      return computeHealth({ journal: d.journal(), acks: d.acks, now: now(), startedAt: d.startedAt, tunnel: t });
    },

    listOrders: async (a) => listOrders(journal(), a),
    listFills: async (a) => listFills(journal(), a),
    getPositions: async (a) => getPositions(journal(), a),
    getPnlHistory: async (a) => pnlHistory(journal(), a),

    ...createLatencyCommands({ journal, now }),
    ...createBacktestCommands({ settings: d.settings, journal, now, logger: d.logger }),
  };

  return {
    commands,
    publicUrl: tunnel.publicUrl,
    activeTunnel: tunnel.active,
    startTunnelInBackground: tunnel.startInBackground,
    closeTunnel: tunnel.close,
  };
}
