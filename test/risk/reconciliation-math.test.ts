import { describe, expect, it } from 'vitest';
import { compare, describeDrift, ledgerNet, takeBaseline, type FillGroup } from '../../main/engine/positions/reconciliation.js';

/**
 * Reconciliation's arithmetic for derivatives (the exchange simulator is spot-only, so the
 * perpetual side is checked here, on the pure functions the Reconciler runs): positions are
 * compared in contracts, the settle currency moves by realized P&L and fees.
 */
const TOL = { value: 1, pct: 0.1 };
const usd = (a: string) => (a === 'BTC' ? 65_000 : null);

describe('reconciliation of perpetual positions', () => {
  // Long 0.5 BTC perpetual, then 0.2 sold at a profit of 120 USDT; fees 6 USDT in all.
  const fills: FillGroup[] = [
    { symbol: 'BTC/USDT:USDT', side: 'buy', feeCurrency: 'USDT', amount: 0.5, cost: 32_500, fee: 4, realized: 0 },
    { symbol: 'BTC/USDT:USDT', side: 'sell', feeCurrency: 'USDT', amount: 0.2, cost: 13_120, fee: 2, realized: 120 },
    { symbol: 'ETH/USDT:USDT', side: 'sell', feeCurrency: null, amount: 3, cost: 9_000, fee: 1.5, realized: 0 },
  ];

  it('nets fills into signed contracts per market, and realized P&L minus fees in the settle currency', () => {
    const net = ledgerNet(fills);
    expect(net.positions).toEqual({ 'BTC/USDT:USDT': 0.3, 'ETH/USDT:USDT': -3 });
    expect(net.balances).toEqual({ USDT: 120 - 6 - 1.5 });
    // The coin itself never moves for a contract: no BTC or ETH balance.
    expect(net.balances.BTC).toBeUndefined();
  });

  it("matches when the exchange holds the ledger's positions on top of the baseline", () => {
    const before = takeBaseline({ USDT: { free: 1_000, used: 0, total: 1_000 } }, [{ symbol: 'BTC/USDT:USDT', contracts: 0.1 }], { balances: {}, positions: {} }, 1);
    expect(before).toEqual({ takenAt: 1, balances: { USDT: 1_000 }, positions: { 'BTC/USDT:USDT': 0.1 } });
    const net = ledgerNet(fills);
    const exchange = { USDT: { free: 1_000 + 112.5, used: 0, total: 1_000 + 112.5 } };
    const positions = [
      { symbol: 'BTC/USDT:USDT', contracts: 0.4 },
      { symbol: 'ETH/USDT:USDT', contracts: -3 },
    ];
    const rows = compare(exchange, positions, net, before, usd, TOL);
    expect(rows.filter((r) => r.drift)).toEqual([]);
    expect(rows.find((r) => r.asset === 'BTC/USDT:USDT')).toMatchObject({ kind: 'position', exchange: 0.4, baseline: 0.1, ledger: 0.3, expected: 0.4, difference: 0 });
    expect(rows.find((r) => r.asset === 'ETH/USDT:USDT')).toMatchObject({ kind: 'position', exchange: -3, expected: -3 });
  });

  it('a position changed outside Pinebridge, or closed by a liquidation, is a drift with the numbers', () => {
    const net = ledgerNet(fills);
    const base = { takenAt: 1, balances: { USDT: 1_000 }, positions: {} };
    const exchange = { USDT: { free: 1_112.5, used: 0, total: 1_112.5 } };
    // A manual 0.25 BTC added by hand; the ETH short is gone (liquidated).
    const rows = compare(exchange, [{ symbol: 'BTC/USDT:USDT', contracts: 0.55 }], net, base, usd, TOL);
    const drifts = rows.filter((r) => r.drift);
    expect(drifts.map((r) => [r.asset, r.kind, r.exchange, r.expected, r.difference])).toEqual([
      ['BTC/USDT:USDT', 'position', 0.55, 0.3, 0.25],
      ['ETH/USDT:USDT', 'position', 0, -3, 3],
    ]);
    expect(describeDrift(drifts[0]!)).toBe('position BTC/USDT:USDT: the exchange holds 0.55, 0.25 more than the 0.3 expected (baseline 0 + Pinebridge 0.3)');
  });

  it('positions the exchange cannot list (null) are not compared, and balances still are', () => {
    const rows = compare({ USDT: { free: 900, used: 0, total: 900 } }, null, ledgerNet(fills), { takenAt: 1, balances: { USDT: 1_000 }, positions: {} }, usd, TOL);
    expect(rows.every((r) => r.kind === 'balance')).toBe(true);
    expect(rows.find((r) => r.asset === 'USDT')).toMatchObject({ expected: 1_112.5, difference: -212.5, value: 212.5, drift: true });
  });
});
