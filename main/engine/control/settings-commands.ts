/**
 * Settings as the UI sees and changes them: persisted to `<data-dir>/settings.json` (never a
 * secret), applied to the running engine's settings object, announced as a `settings` event.
 * Notification channel tokens go to the secret store.
 */
import { NOTIFY_SECRET_NAMES } from '../secrets/names.js';
import type { CommandArgs } from '../../../shared/api.js';
import type { SettingsDto } from '../../../shared/dto/settings.js';
import { loadSettings, saveSettings, settingsSchema, type Settings } from '../core/config.js';
import type { EventBus } from '../core/event-bus.js';
import type { Redactor } from '../core/logging/redactor.js';
import type { Logger } from '../core/logging/logger.js';
import type { SecretStore } from '../core/ports.js';
import { coded, type Handlers } from '../core/commands.js';
import { publicUrlProblem } from '../tunnel/public-url-policy.js';
import { exchangeSettingsProblem } from '../core/exchange-guard.js';
import { accountMode, knownAccounts } from '../venues/venue-provider.js';

export interface SettingsCommandDeps {
  settings: Settings;
  settingsFile: string;
  secrets: SecretStore;
  redactor: Redactor;
  events: EventBus;
  logger: Logger;
  now: () => number;
  /**
   * Several nodes on one PostgreSQL journal: writes the changed settings for every node before
   * they are saved here (cluster/shared-settings.ts); throws when it cannot, and nothing changes.
   */
  publish?: (stored: Settings) => void;
}

/** Which copy a change is applied to: the file's (what the user chose) or the running one (with flags and env). */
export type SettingsTarget = 'stored' | 'running';

export type SettingsCommandName = 'getSettings' | 'updateSettings' | 'saveStrategy' | 'deleteStrategy' | 'setNotificationSecret';

/** The settings as the UI sees them. */
export async function describeSettings(d: SettingsCommandDeps): Promise<SettingsDto> {
  const s = d.settings;
  const [telegram, discord] = await Promise.all([
    d.secrets.get(NOTIFY_SECRET_NAMES.telegramToken),
    d.secrets.get(NOTIFY_SECRET_NAMES.discordWebhookUrl),
  ]);
  return {
    mode: s.mode,
    exchange: s.exchange,
    exchangeUrl: s.exchangeUrl ?? null,
    allowUntestedExchange: s.allowUntestedExchange,
    tunnel: {
      provider: s.tunnel.provider,
      subdomain: s.tunnel.subdomain ?? null,
      publicUrl: s.tunnel.publicUrl ?? null,
      host: s.tunnel.host ?? null,
    },
    limits: { ...s.limits, allowedSymbols: [...s.limits.allowedSymbols] },
    strategies: s.strategies.map((x) => ({ ...x, limits: { ...x.limits, allowedSymbols: [...x.limits.allowedSymbols] } })),
    notifications: {
      ...s.notifications,
      telegram: { ...s.notifications.telegram, tokenSet: !!telegram },
      discord: { ...s.notifications.discord, urlSet: !!discord },
    },
    startAtLogin: s.startAtLogin,
    setupCompletedAt: s.setupCompletedAt,
    secretStore: d.secrets.kind,
    accounts: s.accounts.map((a) => ({ name: a.name, exchange: a.exchange ?? null, exchangeUrl: a.exchangeUrl ?? null, mode: a.mode ?? null })),
    breaker: { ...s.breaker },
    reconciliation: { ...s.reconciliation },
  };
}

/**
 * Applies `change` to the stored file and to the running settings, then announces it: the one
 * path of every change, the UI's and (`publish: false`) one another node made.
 */
export async function applySettingsChange(
  d: SettingsCommandDeps,
  change: (s: Record<string, unknown>, target: SettingsTarget) => void,
  o: { publish?: boolean } = {},
): Promise<SettingsDto> {
  // The file holds what the user chose; flags and env only override the running copy, so they
  // are not written back. Each change is applied to both.
  const stored = structuredClone(loadSettings(d.settingsFile)) as unknown as Record<string, unknown>;
  const running = structuredClone(d.settings) as unknown as Record<string, unknown>;
  change(stored, 'stored');
  change(running, 'running');
  const nextStored = settingsSchema.safeParse(stored);
  const nextRunning = settingsSchema.safeParse(running);
  const bad = !nextStored.success ? nextStored.error : !nextRunning.success ? nextRunning.error : null;
  if (bad || !nextStored.success || !nextRunning.success) {
    const i = bad?.issues[0];
    throw coded('invalid_settings', `${i?.path.join('.') ?? ''}: ${i?.message ?? 'invalid'}`);
  }
  const refused = exchangeSettingsProblem(nextRunning.data);
  if (refused) throw coded(refused.code, refused.message);
  if (d.publish && o.publish !== false) {
    try {
      d.publish(nextStored.data);
    } catch (e) {
      throw coded('settings_not_shared', `Not changed: the settings could not be written for the other nodes (${String((e as Error).message ?? e).split('\n')[0]}).`);
    }
  }
  saveSettings(d.settingsFile, nextStored.data);
  Object.assign(d.settings, nextRunning.data);
  const dto = await describeSettings(d);
  d.events.emit({ type: 'settings', settings: dto });
  return dto;
}

export function createSettingsCommands(d: SettingsCommandDeps): Handlers<SettingsCommandName> {
  const describe = () => describeSettings(d);
  const apply = (change: (s: Record<string, unknown>) => void) => applySettingsChange(d, change);

  return {
    async getSettings(): Promise<SettingsDto> {
      return describe();
    },

    async updateSettings({ patch, confirmLive }: CommandArgs<'updateSettings'>): Promise<SettingsDto> {
      if (patch.mode === 'live' && d.settings.mode !== 'live' && confirmLive !== true) {
        throw coded('confirm_live', 'Switching to live trades real money: confirm it explicitly (confirmLive: true).');
      }
      // An account put on live by its own mode trades real money just the same.
      const liveBefore = new Set(knownAccounts(d.settings).filter((a) => accountMode(d.settings, a) === 'live'));
      const goingLive = (patch.accounts ?? [])
        .filter((a) => a.mode === 'live' && !liveBefore.has(a.name))
        .map((a) => a.name);
      if (goingLive.length && confirmLive !== true) {
        throw coded('confirm_live', `Putting account ${goingLive.join(', ')} on live trades real money: confirm it explicitly (confirmLive: true).`);
      }
      if (patch.tunnel) {
        // "My own URL" must be one TradingView can post to, or the self-test would call it online.
        const provider = patch.tunnel.provider ?? d.settings.tunnel.provider;
        const url = patch.tunnel.publicUrl === undefined ? d.settings.tunnel.publicUrl : patch.tunnel.publicUrl;
        if (provider === 'manual') {
          const problem = url ? publicUrlProblem(url) : 'Give your own public https:// URL (for example https://hooks.example.com), or choose localtunnel.';
          if (problem) throw coded('invalid_public_url', problem);
        }
      }
      const before = d.settings.mode;
      const modesBefore = new Map(knownAccounts(d.settings).map((a) => [a, accountMode(d.settings, a)]));
      const dto = await apply((s) => {
        const { setupCompleted, tunnel, limits, notifications, exchangeUrl, accounts, breaker, reconciliation, ...rest } = patch;
        Object.assign(s, rest);
        if (accounts) {
          s.accounts = accounts.map((a) => ({ name: a.name, exchange: a.exchange ?? undefined, exchangeUrl: a.exchangeUrl ?? undefined, mode: a.mode ?? undefined }));
        }
        if (breaker) Object.assign(s.breaker as object, breaker);
        if (reconciliation) Object.assign(s.reconciliation as object, reconciliation);
        if (exchangeUrl !== undefined) s.exchangeUrl = exchangeUrl ?? undefined;
        if (tunnel) {
          const t = s.tunnel as Record<string, unknown>;
          for (const [k, v] of Object.entries(tunnel)) t[k] = v === null ? undefined : v;
        }
        if (limits) Object.assign(s.limits as object, limits);
        if (notifications) {
          const n = s.notifications as Record<string, Record<string, unknown>>;
          const { telegram, discord, ...flags } = notifications;
          Object.assign(n, flags);
          if (telegram) Object.assign(n.telegram ?? {}, telegram);
          if (discord) Object.assign(n.discord ?? {}, discord);
        }
        if (setupCompleted !== undefined) s.setupCompletedAt = setupCompleted ? d.now() : null;
      });
      if (dto.mode !== before) d.logger.warn({ from: before, to: dto.mode }, `mode switched from ${before} to ${dto.mode}`);
      for (const account of knownAccounts(d.settings)) {
        const from = modesBefore.get(account);
        const to = accountMode(d.settings, account);
        const followedGlobal = dto.mode !== before && from === before && to === dto.mode;
        if (from && from !== to && !followedGlobal) d.logger.warn({ account, from, to }, `account ${account} switched from ${from} to ${to}`);
      }
      return dto;
    },

    async saveStrategy({ strategy }: CommandArgs<'saveStrategy'>): Promise<SettingsDto> {
      return apply((s) => {
        const list = s.strategies as { name: string }[];
        const i = list.findIndex((x) => x.name === strategy.name);
        if (i >= 0) list[i] = strategy;
        else list.push(strategy);
      });
    },

    async deleteStrategy({ name }: CommandArgs<'deleteStrategy'>): Promise<SettingsDto> {
      if (!d.settings.strategies.some((x) => x.name === name)) throw coded('not_found', `There is no strategy ${JSON.stringify(name)}.`);
      return apply((s) => {
        s.strategies = (s.strategies as { name: string }[]).filter((x) => x.name !== name);
      });
    },

    async setNotificationSecret({ kind, value }: CommandArgs<'setNotificationSecret'>): Promise<SettingsDto> {
      const name = NOTIFY_SECRET_NAMES[kind];
      if (value === null) await d.secrets.delete(name);
      else {
        d.redactor.add(value);
        await d.secrets.set(name, value);
      }
      const dto = await describe();
      d.events.emit({ type: 'settings', settings: dto });
      return dto;
    },
  };
}
