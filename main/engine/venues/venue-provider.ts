/**
 * One venue per account alias, made on first use for the account's mode: the paper venue, or a
 * ccxt exchange (loaded lazily) with that account's keys for its mode from the SecretStore.
 * Keys never come from an alert; their values are registered with the redactor.
 */
import type { Mode } from '../../../shared/dto/mode.js';
import type { Settings } from '../core/config.js';
import type { Journal } from '../journal/journal.js';
import { credentialName, type ApiCredentials, type SecretStore, type Venue } from '../core/ports.js';
import { CcxtVenue } from './ccxt-venue.js';
import { createExchange } from './ccxt-setup.js';
import { loadPaperMarkets, type PaperMarketSource } from './paper-market-data.js';
import { PaperVenue } from './paper-venue.js';
import { VenueError } from './venue-error.js';
import { exchangeSettingsProblem } from '../core/exchange-guard.js';

export interface VenueProviderDeps {
  settings: Settings;
  secrets: SecretStore;
  journal: () => Journal;
  addSecret: (value: string) => void;
  now: () => number;
  warn: (message: string) => void;
}

export class VenueProvider {
  private readonly venues = new Map<string, Promise<Venue>>();
  /** Paper accounts on one exchange share one market list (one read of the exchange). */
  private readonly paperMarkets = new Map<string, Promise<PaperMarketSource>>();

  constructor(private readonly d: VenueProviderDeps) {}

  /** The mode an account trades in: its own, else the global one. */
  modeFor(account: string): Mode {
    return accountMode(this.d.settings, account);
  }

  /** The exchange id intents of the default account carry (`paper` in paper mode). */
  get exchangeId(): string {
    return this.exchangeFor(this.d.settings.execution.account);
  }

  /** The exchange id an account's intents carry in its mode (`paper` in paper mode). */
  exchangeFor(account: string): string {
    return this.modeFor(account) === 'paper' ? 'paper' : accountExchange(this.d.settings, account).exchange;
  }

  /** Every (mode, exchange) the accounts the settings name trade on now. */
  targets(): { mode: Mode; exchange: string }[] {
    const seen = new Map<string, { mode: Mode; exchange: string }>();
    for (const account of knownAccounts(this.d.settings)) {
      const t = { mode: this.modeFor(account), exchange: this.exchangeFor(account) };
      seen.set(`${t.mode}\u0000${t.exchange}`, t);
    }
    return [...seen.values()];
  }

  /** Whether an account's intent of `mode` on `exchange` belongs to where that account trades now. */
  tradesOn(account: string, mode: string, exchange: string): boolean {
    return this.modeFor(account) === mode && this.exchangeFor(account) === exchange;
  }

  venueFor(account: string): Promise<Venue> {
    // Mode and exchange are part of the key: after a switch in the UI (paper -> live, another
    // exchange), the next order goes to the venue the settings now name, never a cached one.
    const a = accountExchange(this.d.settings, account);
    const key = [account, this.modeFor(account), a.exchange, a.exchangeUrl ?? ''].join('\u0000');
    let v = this.venues.get(key);
    if (!v) {
      v = this.create(account);
      this.venues.set(key, v);
      // A failure (missing keys, unknown exchange) is not cached: fixing the settings fixes it.
      v.catch(() => this.venues.delete(key));
    }
    return v;
  }

  async closeAll(): Promise<void> {
    const all = [...this.venues.values()];
    this.venues.clear();
    await Promise.allSettled(all.map(async (v) => (await v).close()));
  }

  private async create(account: string): Promise<Venue> {
    const s = this.d.settings;
    const mode = this.modeFor(account);
    if (mode === 'paper') {
      const own = s.accounts.find((x) => x.name === account);
      const opts = { ...s.paper, leverage: own?.leverage ?? s.paper.leverage, hedgeMode: own?.hedgeMode === true };
      const venue = new PaperVenue(this.d.journal().paper, account, opts, this.d.now, await this.paperMarketsFor(account));
      await venue.loadMarkets();
      return venue;
    }
    const refused = exchangeSettingsProblem(s);
    if (refused) throw new VenueError('permanent', refused.code === 'unknown_exchange' ? 'UnknownExchange' : 'UntestedExchange', refused.message);
    const credentials = await this.credentials(account, mode);
    const a = accountExchange(s, account);
    const exchange = await createExchange({
      exchangeId: a.exchange,
      mode,
      credentials,
      exchangeUrl: a.exchangeUrl,
      timeoutMs: s.execution.exchangeTimeoutMs,
      recvWindowMs: s.execution.recvWindowMs,
    });
    return new CcxtVenue(exchange, {
      account,
      mode,
      marketsRefreshMs: s.execution.marketsRefreshSec * 1000,
      now: this.d.now,
      onWarning: this.d.warn,
    });
  }

  private paperMarketsFor(account: string): Promise<PaperMarketSource> {
    const s = this.d.settings;
    const a = accountExchange(s, account);
    const key = [a.exchange, a.exchangeUrl ?? '', s.paper.markets].join('\u0000');
    let p = this.paperMarkets.get(key);
    if (!p) {
      p = loadPaperMarkets({
        exchangeId: a.exchange,
        exchangeUrl: a.exchangeUrl,
        source: s.paper.markets,
        timeoutMs: s.execution.exchangeTimeoutMs ?? 10_000,
      }).then((src) => {
        if (src.origin === 'snapshot' && s.paper.markets === 'auto') {
          this.d.warn(`paper trading checks symbols against ${src.detail}`);
          // Not kept: the next paper venue made (after a settings change or a restart) asks the exchange again.
          this.paperMarkets.delete(key);
        }
        return src;
      });
      this.paperMarkets.set(key, p);
    }
    return p;
  }

  private async credentials(account: string, mode: 'testnet' | 'live'): Promise<ApiCredentials> {
    const [apiKey, secret, password] = await Promise.all([
      this.d.secrets.get(credentialName(account, mode, 'apiKey')),
      this.d.secrets.get(credentialName(account, mode, 'secret')),
      this.d.secrets.get(credentialName(account, mode, 'password')),
    ]);
    if (!apiKey || !secret) {
      throw new VenueError(
        'permanent',
        'MissingCredentials',
        `No ${mode} API keys for account "${account}": add them in Settings > Accounts (or, headless, set PINEBRIDGE_API_KEY and PINEBRIDGE_API_SECRET).`,
      );
    }
    for (const v of [apiKey, secret, password]) if (v) this.d.addSecret(v);
    return password ? { apiKey, secret, password } : { apiKey, secret };
  }
}

/** An account alias's mode: its own from `settings.accounts`, else the global one. */
export function accountMode(s: Settings, account: string): Mode {
  return s.accounts.find((a) => a.name === account)?.mode ?? s.mode;
}

/**
 * An account alias's exchange and base URL: its own from `settings.accounts`, else the global
 * ones. (Its keys are `account:<alias>:<mode>:*` in the secret store, for its mode.)
 */
export function accountExchange(s: Settings, account: string): { exchange: string; exchangeUrl: string | undefined } {
  const own = s.accounts.find((a) => a.name === account);
  if (own?.exchange && own.exchange !== s.exchange) return { exchange: own.exchange, exchangeUrl: own.exchangeUrl };
  return { exchange: own?.exchange ?? s.exchange, exchangeUrl: own?.exchangeUrl ?? s.exchangeUrl };
}

/** Every account alias the settings name: the default, the strategies' and the configured ones. */
export function knownAccounts(s: Settings): string[] {
  return [...new Set([s.execution.account, ...s.strategies.map((x) => x.account), ...s.accounts.map((a) => a.name)])];
}
