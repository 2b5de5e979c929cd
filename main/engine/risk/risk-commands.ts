/**
 * The risk queries and commands of the API: the kill switch, accounts, the limits in force with
 * what they measure now, the circuit breakers and their manual reset.
 */
import type { AccountDto } from '../../../shared/dto/accounts.js';
import type { AccountBreakerDto, LimitsStateDto } from '../../../shared/dto/risk.js';
import type { AccountReach } from '../core/account-reach.js';
import type { Handlers } from '../core/commands.js';
import type { Settings } from '../core/config.js';
import type { EventBus } from '../core/event-bus.js';
import type { Journal } from '../journal/journal.js';
import type { Logger } from '../core/logging/logger.js';
import { credentialName, type SecretStore } from '../core/ports.js';
import { accountExchange, accountMode, knownAccounts } from '../venues/venue-provider.js';
import type { CircuitBreakers } from './circuit-breaker.js';
import { exposure } from './exposure.js';
import type { KillSwitch } from './kill-switch.js';
import { effectiveLimits } from './limits/effective-limits.js';
import { quoteOf } from '../market/money.js';
import { holdings, ordersSince, realizedToday as realizedOfToday, type Scope } from './risk-reads.js';
import { toUsd, type Rates } from './valuation.js';

export interface RiskCommandDeps {
  settings: Settings;
  secrets: SecretStore;
  breakers: CircuitBreakers;
  reach: AccountReach;
  killSwitch: KillSwitch;
  events: EventBus;
  /** The open journal; answers `notStarted()` before the engine starts. */
  journal: () => Journal;
  now: () => number;
  logger: Logger;
  /** USD rates of the quote currencies in the journal (from its last fills). */
  rates: (quotes: string[]) => Promise<Rates>;
}

export type RiskCommands = Handlers<'pauseTrading' | 'resumeTrading' | 'listAccounts' | 'getLimits' | 'getBreakers' | 'resetBreaker'>;

export function createRiskCommands(d: RiskCommandDeps): RiskCommands {
  const s = d.settings;
  const known = () => knownAccounts(s);

  d.killSwitch.onChange((trading) => {
    d.logger.warn({ paused: trading.paused, reason: trading.reason }, trading.paused ? `trading paused: ${trading.reason}` : 'trading resumed');
    d.events.emit({ type: 'trading', trading });
  });

  return {
    pauseTrading: async ({ reason }) => d.killSwitch.pause(reason, d.now()),
    resumeTrading: async () => d.killSwitch.resume(d.now()),

    async listAccounts(): Promise<AccountDto[]> {
      const out: AccountDto[] = [];
      for (const name of known()) {
        const a = accountExchange(s, name);
        const mode = accountMode(s, name);
        const keysSet = mode === 'paper' || !!((await d.secrets.get(credentialName(name, mode, 'apiKey'))) && (await d.secrets.get(credentialName(name, mode, 'secret'))));
        out.push({
          name,
          mode,
          exchange: mode === 'paper' ? 'paper' : a.exchange,
          exchangeUrl: mode === 'paper' ? null : (a.exchangeUrl ?? null),
          isDefault: name === s.execution.account,
          strategies: s.strategies.filter((x) => x.account === name).map((x) => x.name),
          keysSet,
          breaker: d.breakers.state(name),
          reach: d.reach.get(name),
        });
      }
      return out;
    },

    async getLimits({ account, strategy }): Promise<LimitsStateDto> {
      const acc = account ?? s.strategies.find((x) => x.name === strategy)?.account ?? s.execution.account;
      const limits = effectiveLimits(s, strategy ?? null);
      const j = d.journal();
      const scope = (k: keyof typeof limits): Scope => ({ account: acc, mode: accountMode(s, acc), strategy: limits[k].source === 'strategy' ? (strategy ?? null) : null });
      const now = d.now();
      const realized = realizedOfToday(j, scope('dailyLossLimit'), now);
      const exposureScope = scope('maxTotalExposure');
      const rates = await d.rates([...realized.map((r) => quoteOf(r.symbol)), ...holdings(j, exposureScope).map((h) => quoteOf(h.symbol))]);
      let realizedToday = 0;
      for (const r of realized) realizedToday += toUsd(rates, r.net, quoteOf(r.symbol)) ?? 0;
      const ex = exposure({ journal: j, rates, contractSize: () => 1 }, exposureScope);
      return {
        account: acc,
        strategy: strategy ?? null,
        limits,
        currency: 'USD',
        usage: {
          ordersLastMinute: ordersSince(j, scope('maxOrdersPerMinute'), now - 60_000),
          realizedToday: Number(realizedToday.toFixed(8)),
          exposure: ex.unvalued ? null : Number(ex.total.toFixed(8)),
          positions: ex.positions,
        },
      };
    },

    async getBreakers(): Promise<AccountBreakerDto[]> {
      const names = [...new Set([...known(), ...d.breakers.accounts()])];
      return names.map((n) => d.breakers.state(n));
    },

    async resetBreaker({ account }): Promise<AccountBreakerDto> {
      const b = d.breakers.reset(account);
      d.logger.warn({ account }, `circuit breaker of account ${account} reset by hand`);
      return b;
    },
  };
}
