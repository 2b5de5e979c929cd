/**
 * Binance's clientOrderId rules as the simulator enforces them, seen through the REAL ccxt client:
 * the facts the execution engine's exactly-once logic relies on.
 */
import ccxt from 'ccxt';
import { afterEach, describe, expect, it } from 'vitest';
import { byClientId, closeSimulators, idOf, rejection, setup } from './support.js';

afterEach(closeSimulators);

describe('exchange simulator: Binance clientOrderId semantics', () => {
  it('a newClientOrderId equal to an OPEN order\'s is rejected: -2010 "Duplicate order sent." as InvalidOrder', async () => {
    const { sim, ex } = await setup();
    await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 50000, { clientOrderId: 'dup-1' });
    const err = await rejection(ex.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 50000, { clientOrderId: 'dup-1' }));
    expect(err).toBeInstanceOf(ccxt.InvalidOrder);
    expect(err).not.toBeInstanceOf(ccxt.NetworkError);
    expect(err.message).toContain('Duplicate order sent.');
    expect(sim.ordersByClientId('dup-1')).toHaveLength(1);
  });

  it('a reused clientOrderId of a FILLED order is accepted as a second order (why blind retries duplicate)', async () => {
    const { sim, ex } = await setup();
    const first = await ex.createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, { clientOrderId: 'reuse-1' });
    const second = await ex.createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, { clientOrderId: 'reuse-1' });
    expect(second.id).not.toBe(first.id);
    expect(sim.ordersByClientId('reuse-1').map((o) => o.status)).toEqual(['FILLED', 'FILLED']);
    expect(sim.balance('BTC').free).toBeCloseTo(1 + 2 * 0.000999, 8);
    // A look-up by clientOrderId returns the most recent order with that id.
    expect((await byClientId(ex, 'BTC/USDT', 'reuse-1')).id).toBe(second.id);
  });

  it('a reused clientOrderId of a CANCELED order is accepted too', async () => {
    const { sim, ex } = await setup();
    const first = await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 50000, { clientOrderId: 'rc-1' });
    await ex.cancelOrder(idOf(first), 'BTC/USDT');
    await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 50000, { clientOrderId: 'rc-1' });
    expect(sim.ordersByClientId('rc-1').map((o) => o.status)).toEqual(['CANCELED', 'NEW']);
  });

  it('clientOrderIds longer than 36 characters or with illegal characters are rejected (-1100, BadRequest)', async () => {
    const { sim, ex } = await setup();
    const long = await rejection(ex.createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, { clientOrderId: 'x'.repeat(37) }));
    expect(long).toBeInstanceOf(ccxt.BadRequest);
    expect(long.message).toContain('-1100');
    expect(await rejection(ex.createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, { clientOrderId: 'a b' }))).toBeInstanceOf(ccxt.BadRequest);
    await ex.createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, { clientOrderId: 'A.b:c/d_e-f'.padEnd(36, '0') });
    expect(sim.orders()).toHaveLength(1);
  });
});
