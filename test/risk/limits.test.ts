import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, type DeepPartial, type Settings } from '../../main/engine/core/config.js';
import type { EngineEvent, LimitsDto } from '../../shared/api.js';
import { NO_LIMITS } from '../../shared/api.js';
import { journalStoreFixture, type Store } from '../support/journal-stores.js';
import { buy, EXACT_PAPER, ManualClock, startRisk, type RiskHarness } from './risk-harness.js';

/**
 * Each limit at its edge through the real engine (paper venue, no fee or slippage so the numbers
 * are exact): just under (or at) the limit executes, just over is refused before any order, with
 * the limit and the numbers in the reason, journaled on the alert and emitted as `risk.rejected`.
 * On both journal stores: what the limits read is SQL, and PostgreSQL's dialect is not SQLite's.
 */

const { stores, location } = journalStoreFixture('risk limits');
let store: Store = 'sqlite';
/** The journal of the engine about to start: SQLite in its data dir, or a fresh PostgreSQL database. */
const databaseUrl = () => (store === 'postgres' ? location('postgres') : undefined);

let h: RiskHarness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

async function engine(limits: Partial<LimitsDto>, more: DeepPartial<Settings> = {}, clock?: ManualClock): Promise<RiskHarness> {
  h = await startRisk({ overrides: { ...EXACT_PAPER, ...more, limits: { ...NO_LIMITS, ...limits } }, clock, databaseUrl: databaseUrl() });
  return h;
}

const sol = (over: Record<string, unknown> = {}) => buy({ symbol: 'BINANCE:SOLUSDT', price: '100', ...over });

function riskEvent(r: RiskHarness, alertId: string) {
  return r.events.find((e): e is Extract<EngineEvent, { type: 'risk.rejected' }> => e.type === 'risk.rejected' && e.alert.id === alertId);
}

/** Refused before any order: skipped with the code and reason, no intent written. */
async function expectRefused(r: RiskHarness, body: Record<string, unknown>, code: string, reason: string) {
  const a = await r.run(body);
  expect(a.status, a.reason ?? '').toBe('skipped');
  expect(a.reasonCode).toBe(code);
  expect(a.reason).toBe(reason);
  expect(r.intents(a.id)).toEqual([]);
  return a;
}

async function expectExecuted(r: RiskHarness, body: Record<string, unknown>) {
  const a = await r.run(body);
  expect(a.status, a.reason ?? '').toBe('executed');
  return a;
}

describe.each(stores)('risk limits at their edges (journal on %s)', (s) => {
  beforeAll(() => {
    store = s;
  });

  it('has safe defaults in force on a fresh engine: a 2,000 USDT order passes, 2,001 is refused with the numbers', async () => {
    h = await startRisk({ overrides: EXACT_PAPER, databaseUrl: databaseUrl() });
    const s = await h.engine.api.getSettings({});
    expect(s.limits).toEqual({ ...DEFAULT_LIMITS, allowedSymbols: [] });
    expect(DEFAULT_LIMITS).toEqual({ maxOrderNotional: 2000, maxPositionPerSymbol: 5000, maxTotalExposure: 8000, maxOrdersPerMinute: 10, dailyLossLimit: 500, maxAlertAgeSec: 120 });
    const limits = await h.engine.api.getLimits({});
    expect(limits.limits.maxOrderNotional).toEqual({ value: 2000, source: 'global' });

    await expectExecuted(h, sol({ quantity: '20' }));
    const over = await expectRefused(
      h,
      sol({ quantity: '20.01' }),
      'risk_max_order_notional',
      'order notional 2,001.00 USDT is above the max order notional of 2,000 USDT (account main); raise Settings > Limits > max order notional, or send a smaller quantity',
    );
    expect(riskEvent(h, over.id)).toMatchObject({ account: 'main', limit: 'maxOrderNotional', scope: 'account', value: 2001, max: 2000 });
    // Kept in the journal's events too, not only streamed.
    const kept = h.engine.journal().events.recent(50, 'risk.rejected');
    expect(kept.map((e) => (e.data as { alert: { id: string } }).alert.id)).toContain(over.id);
    const usage = await h.engine.api.getLimits({});
    expect(usage.usage).toMatchObject({ ordersLastMinute: 1, exposure: 2000, positions: [{ symbol: 'SOL/USDT', qty: 20, value: 2000 }] });
  });

  it("a strategy's own limit replaces the global one for its alerts (and says whose limit it was)", async () => {
    const r = await engine({ maxOrderNotional: 2000 }, { strategies: [{ name: 'small', symbol: 'SOLUSDT', quantity: '1', limits: { maxOrderNotional: 500 } }] });
    await expectExecuted(r, sol({ strategy: 'small', quantity: '5' }));
    await expectRefused(
      r,
      sol({ strategy: 'small', quantity: '5.01' }),
      'risk_max_order_notional',
      'order notional 501.00 USDT is above the max order notional of 500 USDT (strategy small); raise the strategy\'s limits in Settings > Strategies > max order notional, or send a smaller quantity',
    );
    await expectExecuted(r, sol({ strategy: 'other', quantity: '10' }));
    expect((await r.engine.api.getLimits({ strategy: 'small' })).limits.maxOrderNotional).toEqual({ value: 500, source: 'strategy' });
  });

  it('max position per symbol: all strategies of the account together, open orders included', async () => {
    const r = await engine({ maxPositionPerSymbol: 1000 });
    await expectExecuted(r, sol({ strategy: 'a', quantity: '6' }));
    await expectExecuted(r, sol({ strategy: 'b', quantity: '4' }));
    const over = await expectRefused(
      r,
      sol({ strategy: 'b', quantity: '0.01' }),
      'risk_max_position_per_symbol',
      'the position in SOL/USDT would be 1,001.00 USDT (held 1,000.00 + this order 1.00), above the max position per symbol of 1,000 USDT (account main); raise Settings > Limits > max position per symbol, or close part of the position first',
    );
    expect(riskEvent(r, over.id)).toMatchObject({ limit: 'maxPositionPerSymbol', value: 1001, max: 1000 });
    // A resting limit buy on another market counts while it may still fill.
    const rest = await r.run(buy({ strategy: 'a', symbol: 'BNBUSDT', quantity: '10', order_type: 'limit', price: '90' }));
    expect(r.intents(rest.id)[0]!.status).toBe('open');
    await expectRefused(
      r,
      buy({ strategy: 'a', symbol: 'BNBUSDT', quantity: '1.2', price: '100' }),
      'risk_max_position_per_symbol',
      'the position in BNB/USDT would be 1,120.00 USDT (held 0.00 + open orders 1,000.00 + this order 120.00), above the max position per symbol of 1,000 USDT (account main); raise Settings > Limits > max position per symbol, or close part of the position first',
    );
  });

  it('max total exposure: every position and open entry order of the account, valued', async () => {
    const r = await engine({ maxTotalExposure: 1500 });
    await expectExecuted(r, sol({ quantity: '10' }));
    await expectExecuted(r, buy({ symbol: 'ETHUSDT', quantity: '5', price: '100' }));
    await expectRefused(
      r,
      buy({ symbol: 'ETHUSDT', quantity: '0.01', price: '100' }),
      'risk_max_total_exposure',
      'total exposure would be 1,501.00 USD (now 1,500.00 + this order 1.00), above the max total exposure of 1,500 USD (account main); raise Settings > Limits > max total exposure, or close other positions first',
    );
  });

  it('hedge mode: a long and a short of one market are two positions, added for the per-symbol and the total limits', async () => {
    const hedge = { accounts: [{ name: 'main', hedgeMode: true }], paper: { balances: { USDT: 100_000 }, feeRate: 0, slippageBps: 0, minNotional: 0, leverage: 10, markets: 'snapshot' as const } };
    const perp = (over: Record<string, unknown>) => buy({ symbol: 'BINANCE:BTCUSDT.P', price: '50000', ...over });
    const r = await engine({ maxPositionPerSymbol: 1000, maxTotalExposure: 1500 }, hedge);
    await expectExecuted(r, perp({ strategy: 'a', quantity: '0.012' }));
    await expectExecuted(r, perp({ strategy: 'b', action: 'sell', quantity: '0.008' }));
    // Netted they would be a long of 0.004 (200 USDT): the exchange holds both, 1 000 USDT.
    expect((await r.engine.api.getLimits({})).usage).toMatchObject({
      exposure: 1000,
      positions: [
        { symbol: 'BTC/USDT:USDT', positionSide: 'long', qty: 0.012, value: 600 },
        { symbol: 'BTC/USDT:USDT', positionSide: 'short', qty: -0.008, value: 400 },
      ],
    });
    await expectRefused(
      r,
      perp({ strategy: 'b', action: 'sell', quantity: '0.001' }),
      'risk_max_position_per_symbol',
      'the position in BTC/USDT:USDT would be 1,050.00 USDT (held 1,000.00 + this order 50.00), above the max position per symbol of 1,000 USDT (account main); raise Settings > Limits > max position per symbol, or close part of the position first',
    );
    // An exit is never refused by them: it reduces its own side.
    await expectExecuted(r, perp({ strategy: 'a', action: 'close' }));
  });

  it('max orders per minute: the limit-th order passes, the next is refused, and a minute later trading goes on', async () => {
    const clock = new ManualClock();
    const r = await engine({ maxOrdersPerMinute: 3 }, {}, clock);
    for (let i = 0; i < 3; i++) await expectExecuted(r, sol({ quantity: '1' }));
    const over = await expectRefused(
      r,
      sol({ quantity: '1' }),
      'risk_max_orders_per_minute',
      '3 order(s) in the last minute + 1 planned is above the max of 3 orders per minute (account main); raise Settings > Limits > max orders per minute, or wait a minute',
    );
    expect(riskEvent(r, over.id)).toMatchObject({ limit: 'maxOrdersPerMinute', value: 4, max: 3 });
    // An exit is never refused by a limit: no limit may trap a position.
    const exit = await expectExecuted(r, sol({ action: 'close' }));
    expect(r.intents(exit.id)[0]).toMatchObject({ purpose: 'exit', amount: 3 });
    clock.advance(61_000);
    await expectExecuted(r, sol({ quantity: '1' }));
  });

  it('daily loss limit: realized loss net of fees since 00:00 UTC; under it trades, at it only exits, the next day again', async () => {
    const noon = Math.floor(Date.now() / 86_400_000) * 86_400_000 + 12 * 3_600_000;
    const clock = new ManualClock(noon);
    const r = await engine({ dailyLossLimit: 50 }, {}, clock);
    await expectExecuted(r, sol({ quantity: '10' }));
    await expectExecuted(r, sol({ action: 'close', price: '95.2' })); // -48
    await expectExecuted(r, sol({ quantity: '1' })); // 48 < 50: still trading
    await expectExecuted(r, sol({ action: 'close', price: '97' })); // -3: 51 lost today
    await expectRefused(
      r,
      sol({ quantity: '1' }),
      'risk_daily_loss_limit',
      "today's realized loss of 51.00 USDT has reached the daily loss limit of 50 USDT (account main): no new entries until 00:00 UTC; raise Settings > Limits > daily loss limit, or wait for the next UTC day",
    );
    expect((await r.engine.api.getLimits({})).usage.realizedToday).toBeCloseTo(-51, 8);
    clock.advance(12 * 3_600_000);
    await expectExecuted(r, sol({ quantity: '1' }));
  });

  it('allowed symbols: any spelling of a market, others refused', async () => {
    const r = await engine({ allowedSymbols: ['BINANCE:ETHUSDT', 'SOL/USDT'] });
    await expectExecuted(r, buy({ symbol: 'ETHUSDT', quantity: '0.1', price: '3000' }));
    await expectExecuted(r, sol({ quantity: '1' }));
    await expectRefused(
      r,
      buy({ quantity: '0.001', price: '65000' }),
      'risk_allowed_symbols',
      'BTC/USDT is not among the allowed symbols (BINANCE:ETHUSDT, SOL/USDT) (account main); change Settings > Limits > allowed symbols (add the symbol), or send an allowed symbol',
    );
  });

  it("max alert age: an alert whose time is the limit old passes, a second older is stale", async () => {
    const clock = new ManualClock();
    const r = await engine({ maxAlertAgeSec: 60 }, {}, clock);
    await expectExecuted(r, sol({ quantity: '1', time: new Date(clock.now() - 60_000).toISOString() }));
    const old = new Date(clock.now() - 61_000).toISOString();
    const stale = await expectRefused(
      r,
      sol({ quantity: '1', time: old }),
      'risk_max_alert_age',
      `the alert is 61 s old (its time ${old}), above the max alert age of 60 s (account main): stale, not executed; raise Settings > Limits > max alert age, or check the alert's time field and this machine's clock`,
    );
    expect(riskEvent(r, stale.id)).toMatchObject({ limit: 'maxAlertAgeSec', value: 61, max: 60 });
    // Checked before anything else: not even a price was looked at.
    expect(r.intents(stale.id)).toEqual([]);
  });

  it('limits lowered below what a strategy holds never block its exit', async () => {
    const r = await engine({ maxOrderNotional: 1000, maxPositionPerSymbol: 1000 });
    await expectExecuted(r, sol({ quantity: '9' }));
    await r.engine.api.updateSettings({ patch: { limits: { maxOrderNotional: 100, maxPositionPerSymbol: 100 } } });
    await expectRefused(r, sol({ quantity: '1.01' }), 'risk_max_order_notional', 'order notional 101.00 USDT is above the max order notional of 100 USDT (account main); raise Settings > Limits > max order notional, or send a smaller quantity');
    const exit = await expectExecuted(r, sol({ action: 'close' }));
    expect(r.intents(exit.id)[0]).toMatchObject({ side: 'sell', amount: 9, status: 'filled' });
  });
});
