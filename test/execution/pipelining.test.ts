/**
 * Pipelining on one market: fixed-size market orders go out as soon as their intent is durable,
 * without waiting for the answer to the one before; an alert sized from the position or balance
 * waits until the orders before it are answered and recorded. The real engine, real ccxt, the
 * exchange simulator.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../shared/api.js';
import { canPipeline, dependsOnPosition } from '../../main/engine/execution/pipelining.js';
import type { VenueMarket } from '../../main/engine/core/ports.js';
import type { Signal } from '../../main/engine/signals/signal.js';
import { startExchangeSimulator, type Simulator } from '../support/exchange-simulator/index.js';
import { FAST, startExec, type ExecHarness } from './exec-harness.js';

const spot = { symbol: 'BTC/USDT', contract: false } as VenueMarket;
const perp = { symbol: 'BTC/USDT:USDT', contract: true } as VenueMarket;
const fixed: Signal = { dialect: 'native', strategy: 's', action: 'buy', symbol: 'BTCUSDT', quantity: { kind: 'base', value: 0.01 }, orderType: 'market' };

describe('which alerts may be pipelined', () => {
  it('fixed-size spot market buys, in base or quote amounts', () => {
    expect(canPipeline(fixed, spot)).toBe(true);
    expect(canPipeline({ ...fixed, quantity: { kind: 'quote', value: 100, currency: 'USDT' } }, spot)).toBe(true);
  });

  it('not when the size or side comes from the position or balance', () => {
    const cases: [string, Signal][] = [
      ['close', { ...fixed, action: 'close', quantity: undefined }],
      ['close_long', { ...fixed, action: 'close_long', quantity: undefined }],
      ['close_short', { ...fixed, action: 'close_short', quantity: undefined }],
      ['cancel', { ...fixed, action: 'cancel', quantity: undefined }],
      ['target position', { ...fixed, action: undefined, targetPosition: 0.5, quantity: undefined }],
      ['percent', { ...fixed, quantity: { kind: 'percent', value: 25 } }],
      ['risk', { ...fixed, quantity: { kind: 'risk', percent: 1 } }],
      ['no quantity', { ...fixed, quantity: undefined }],
      // A spot sell sells at most what the strategy holds (down to flat): it needs the fills before it.
      ['sell', { ...fixed, action: 'sell' }],
      ['market_position', { ...fixed, marketPosition: 'long', prevMarketPosition: 'flat' }],
      ['market_position_size', { ...fixed, marketPositionSize: 0.01 }],
    ];
    for (const [what, s] of cases) {
      expect(dependsOnPosition(s), what).toBe(true);
      expect(canPipeline(s, spot), what).toBe(false);
    }
    expect(dependsOnPosition(fixed)).toBe(false);
  });

  it('not for limit orders, legs, protective orders, or on a contract market (reduceOnly reads the position)', () => {
    expect(canPipeline({ ...fixed, orderType: 'limit', price: 60000 }, spot)).toBe(false);
    expect(canPipeline({ ...fixed, legs: [{ price: 60000, quantity: { kind: 'base', value: 0.01 } }] }, spot)).toBe(false);
    expect(canPipeline({ ...fixed, stopLoss: { percent: 2 } }, spot)).toBe(false);
    expect(canPipeline({ ...fixed, takeProfit: { price: 70000 } }, spot)).toBe(false);
    expect(canPipeline({ ...fixed, trailingStop: { percent: 1 } }, spot)).toBe(false);
    expect(canPipeline(fixed, perp)).toBe(false);
  });
});

describe('one market, a slow exchange', () => {
  let sim: Simulator | null = null;
  let h: ExecHarness | null = null;
  afterEach(async () => {
    await h?.close();
    await sim?.close();
  });

  it('fixed-size orders are sent before the first answer; a percent-sized one waits for their fills; the sending order is the alerts\' order', async () => {
    sim = await startExchangeSimulator({ balances: { USDT: 1_000_000, BTC: 10 } });
    h = await startExec({ sim, overrides: { execution: { ...FAST.execution, exchangeTimeoutMs: 5000 } } });
    await h.engine.executionIdle();
    // The first three order requests are answered only after 400 ms each.
    sim.injectFault({ kind: 'latency', method: 'POST', path: '/api/v3/order', ms: 400, times: 3 });
    const seen: string[] = [];
    h.engine.events.subscribe((e: EngineEvent) => {
      if (e.type === 'order.sent') seen.push(`sent ${e.order.alertId}`);
      if (e.type === 'order.filled') seen.push(`filled ${e.order.alertId}`);
    });
    const body = (n: number, quantity: string) => ({ strategy: 'pipe', action: 'buy', symbol: 'BINANCE:BTCUSDT', quantity, price: '65000', id: `pipe-${n}` });
    const ids: string[] = [];
    for (const [n, q] of ['0.001', '0.002', '0.003', '1%', '0.004'].entries()) ids.push(await h.alert(body(n, q)));
    await h.engine.executionIdle();
    const [a1, a2, a3, strict, a5] = ids as [string, string, string, string, string];

    const at = (what: string) => {
      const i = seen.indexOf(what);
      expect(i, what).toBeGreaterThanOrEqual(0);
      return i;
    };
    // All three out before any answer came back.
    expect(Math.max(at(`sent ${a1}`), at(`sent ${a2}`), at(`sent ${a3}`))).toBeLessThan(Math.min(at(`filled ${a1}`), at(`filled ${a2}`), at(`filled ${a3}`)));
    // In the alerts' order.
    expect(at(`sent ${a1}`)).toBeLessThan(at(`sent ${a2}`));
    expect(at(`sent ${a2}`)).toBeLessThan(at(`sent ${a3}`));
    // The balance-sized alert waited for every fill before it; the one after it waited for it.
    expect(at(`sent ${strict}`)).toBeGreaterThan(Math.max(at(`filled ${a1}`), at(`filled ${a2}`), at(`filled ${a3}`)));
    expect(at(`sent ${a5}`)).toBeGreaterThan(at(`filled ${strict}`));

    for (const id of ids) {
      expect(h.engine.journal().alerts.get(id)?.status, id).toBe('executed');
      expect(sim.ordersByClientId(`pb${id}-0`), id).toHaveLength(1);
    }
    expect(sim.orders()).toHaveLength(5);
  });
});
