/**
 * One venue per account alias, made on first use for the engine's mode: the paper venue, or a
 * ccxt exchange (loaded lazily) with that account's keys for this mode from the SecretStore.
 * Keys never come from an alert; their values are registered with the redactor.
 */
import type { Settings } from '../config.js';
import type { Journal } from '../journal/journal.js';
import { credentialName, type ApiCredentials, type SecretStore, type Venue } from '../ports.js';
import { CcxtVenue } from './ccxt-venue.js';
import { createExchange } from './ccxt-setup.js';
import { PaperVenue } from './paper-venue.js';
import { VenueError } from './venue-error.js';

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

  constructor(private readonly d: VenueProviderDeps) {}

  get mode(): Settings['mode'] {
    return this.d.settings.mode;
  }

  /** The exchange id intents of this mode carry (`paper` in paper mode). */
  get exchangeId(): string {
    return this.d.settings.mode === 'paper' ? 'paper' : this.d.settings.exchange;
  }

  venueFor(account: string): Promise<Venue> {
    // Mode and exchange are part of the key: after a switch in the UI (paper -> live, another
    // exchange), the next order goes to the venue the settings now name, never a cached one.
    const s = this.d.settings;
    const key = [account, s.mode, s.exchange, s.exchangeUrl ?? ''].join('\u0000');
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
    if (s.mode === 'paper') {
      const venue = new PaperVenue(this.d.journal().paper, account, s.paper, this.d.now);
      await venue.loadMarkets();
      return venue;
    }
    const credentials = await this.credentials(account, s.mode);
    const exchange = await createExchange({
      exchangeId: s.exchange,
      mode: s.mode,
      credentials,
      exchangeUrl: s.exchangeUrl,
      timeoutMs: s.execution.exchangeTimeoutMs,
      recvWindowMs: s.execution.recvWindowMs,
    });
    return new CcxtVenue(exchange, {
      account,
      mode: s.mode,
      marketsRefreshMs: s.execution.marketsRefreshSec * 1000,
      now: this.d.now,
      onWarning: this.d.warn,
    });
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
