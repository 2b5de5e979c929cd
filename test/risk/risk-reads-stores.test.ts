/**
 * What the risk limits read (positions, open entry orders, exposure) on both stores: the same
 * answers from a SQLite file and from PostgreSQL, and in hedge mode a market's long and short
 * are two positions whose values add up, never net to nothing.
 */
import { describe, expect, it } from 'vitest';
import { Journal } from '../../main/engine/journal/journal.js';
import type { NewIntent } from '../../main/engine/journal/intents.js';
import { exposure } from '../../main/engine/risk/exposure.js';
import { holdings, openEntries } from '../../main/engine/risk/risk-reads.js';
import { journalStoreFixture } from '../support/journal-stores.js';

const { stores, location } = journalStoreFixture('risk reads');
const PERP = 'BTC/USDT:USDT';
const scope = { account: 'main', mode: 'paper' as const, strategy: null };
const rates = new Map([['USDT', 1]]);

function intent(clientOrderId: string, over: Partial<NewIntent>): NewIntent {
  return {
    clientOrderId, alertId: 'a1', leg: 0, account: 'main', mode: 'paper', exchange: 'paper', strategy: 's1', symbol: PERP,
    side: 'buy', type: 'market', amount: 1, price: null, triggerPrice: null, params: {}, purpose: 'entry', createdAt: 1_000, ...over,
  };
}

describe.each(stores)('risk reads on %s', (store) => {
  it('hedge mode: holdings and open entries per side; exposure adds the long and the short', () => {
    const j = Journal.open(location(store));
    j.alerts.record({
      id: 'a1', receivedAt: 1_000, source: '127.0.0.1', dialect: 'native', strategy: 's1', action: 'buy', symbol: PERP, idemKey: 'k1', idemSince: 0,
      body: '{}', signal: { time: 900, strategy: 's1' }, status: 'accepted', httpStatus: 200, reasonCode: null, reason: null,
    });
    // Strategy s1 long 0.5, strategy s2 short 0.3 (hedge mode: two positions on the exchange).
    j.intents.insert([
      intent('long-1', { params: { positionSide: 'long' }, amount: 0.5 }),
      intent('short-1', { leg: 1, strategy: 's2', side: 'sell', params: { positionSide: 'short' }, amount: 0.3 }),
      // Resting entries that may still fill: a limit buy of the long side, a limit sell of the short side.
      intent('long-2', { leg: 2, type: 'limit', params: { positionSide: 'long' }, amount: 0.1, price: 60_000 }),
      intent('short-2', { leg: 3, strategy: 's2', side: 'sell', type: 'limit', params: { positionSide: 'short' }, amount: 0.2, price: 70_000 }),
    ]);
    const fill = (intentId: string, side: 'buy' | 'sell', amount: number) => ({ intentId, tradeId: `t-${intentId}`, side, amount, price: 65_000, fee: 0, feeCurrency: 'USDT', ts: 2_000 });
    j.positions.recordFill({ account: 'main', mode: 'paper', strategy: 's1', symbol: PERP, side: 'long' }, fill('long-1', 'buy', 0.5), 'BTC', 'USDT');
    j.positions.recordFill({ account: 'main', mode: 'paper', strategy: 's2', symbol: PERP, side: 'short' }, fill('short-1', 'sell', 0.3), 'BTC', 'USDT');
    const answer = (id: string, status: 'filled' | 'open', filled: number) =>
      j.intents.applyOrder(id, { status, exchangeOrderId: `x-${id}`, filled, average: filled ? 65_000 : null, fee: 0, feeCurrency: 'USDT' }, 3_000);
    answer('long-1', 'filled', 0.5);
    answer('short-1', 'filled', 0.3);
    answer('long-2', 'open', 0);
    answer('short-2', 'open', 0);

    expect(holdings(j, scope).map(({ symbol, positionSide, qty }) => ({ symbol, positionSide, qty })).sort((a, b) => a.positionSide.localeCompare(b.positionSide))).toEqual([
      { symbol: PERP, positionSide: 'long', qty: 0.5 },
      { symbol: PERP, positionSide: 'short', qty: -0.3 },
    ]);
    expect(openEntries(j, scope).map(({ positionSide, side, remaining }) => ({ positionSide, side, remaining })).sort((a, b) => a.positionSide.localeCompare(b.positionSide))).toEqual([
      { positionSide: 'long', side: 'buy', remaining: 0.1 },
      { positionSide: 'short', side: 'sell', remaining: 0.2 },
    ]);
    // At the alert's own price of 65 000: long 0.6 (39 000) + short 0.5 (32 500); netted it would be 6 500.
    const ex = exposure({ journal: j, rates, contractSize: () => 1, market: { symbol: PERP } as never, entries: [{ side: 'buy', amount: 0, price: 65_000 }] }, scope);
    expect(ex.unvalued).toBeNull();
    expect(ex.total).toBeCloseTo(71_500, 6);
    expect(ex.positions.map(({ positionSide, qty }) => ({ positionSide, qty })).sort((a, b) => (a.positionSide ?? '').localeCompare(b.positionSide ?? ''))).toEqual([
      { positionSide: 'long', qty: 0.6 },
      { positionSide: 'short', qty: -0.5 },
    ]);
    j.close();
  });

  it('one-way mode: one net position per market, as before', () => {
    const j = Journal.open(location(store));
    expect(holdings(j, scope)).toEqual([]);
    expect(openEntries(j, scope)).toEqual([]);
    j.db.prepare(
      `INSERT INTO positions (account, mode, strategy, symbol, qty, avg_entry, realized_pnl, fees, updated_at) VALUES ('main', 'paper', 's1', 'SOL/USDT', 10, 100, 0, 0, 1)`,
    ).run();
    j.db.prepare(
      `INSERT INTO positions (account, mode, strategy, symbol, qty, avg_entry, realized_pnl, fees, updated_at) VALUES ('main', 'paper', 's2', 'SOL/USDT', -4, 100, 0, 0, 1)`,
    ).run();
    expect(holdings(j, scope)).toEqual([{ symbol: 'SOL/USDT', positionSide: 'net', qty: 6, cost: 1400, gross: 14 }]);
    // No price seen: valued at the strategies' average entry (100), not at their cost over the net.
    const ex = exposure({ journal: j, rates, contractSize: () => 1 }, scope);
    expect(ex.positions).toEqual([{ symbol: 'SOL/USDT', qty: 6, value: 600 }]);
    j.close();
  });
});
