/**
 * Orders and requests the simulator rejects as Binance does (filters, balance, symbol, auth,
 * clock skew), and the ccxt error class each rejection becomes.
 */
import ccxt from 'ccxt';
import { afterEach, describe, expect, it } from 'vitest';
import { createSimulatedBinance } from '../support/exchange-simulator/index.js';
import { closeSimulators, rejection, setup } from './support.js';

afterEach(closeSimulators);

describe('exchange simulator: rejections and how ccxt classifies them', () => {
  it('filters: NOTIONAL -> BadRequest (not InvalidOrder); LOT_SIZE and PRICE_FILTER -> InvalidOrder', async () => {
    const { sim, ex } = await setup();
    const notional = await rejection(ex.createOrder('BTC/USDT', 'market', 'buy', 0.00005, undefined, { clientOrderId: 'n-1' }));
    expect(notional.message).toContain('Filter failure: NOTIONAL');
    expect(notional).toBeInstanceOf(ccxt.BadRequest);
    expect(notional).not.toBeInstanceOf(ccxt.InvalidOrder);
    // ccxt rounds amount and price to precision itself, so send the raw request to hit the server-side filters.
    const base = { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', newClientOrderId: 'f-1' };
    const lot = await rejection(ex.privatePostOrder({ ...base, quantity: '0.000015', price: '65000' }));
    expect(lot).toBeInstanceOf(ccxt.InvalidOrder);
    expect(lot.message).toContain('Filter failure: LOT_SIZE');
    const tick = await rejection(ex.privatePostOrder({ ...base, quantity: '0.001', price: '65000.005' }));
    expect(tick).toBeInstanceOf(ccxt.InvalidOrder);
    expect(tick.message).toContain('Filter failure: PRICE_FILTER');
    expect(sim.orders()).toHaveLength(0);
    expect(sim.counters().ordersRejected).toBe(3);
  });

  it('insufficient balance -> -2010 as InsufficientFunds; unknown symbol -> -1121 BadSymbol', async () => {
    const { sim, ex } = await setup({ balances: { USDT: 100 } });
    const err = await rejection(ex.createOrder('BTC/USDT', 'market', 'buy', 0.01, undefined, { clientOrderId: 'i-1' }));
    expect(err).toBeInstanceOf(ccxt.InsufficientFunds);
    expect(err.message).toContain('Account has insufficient balance for requested action.');
    const sym = await rejection(ex.publicGetTicker24hr({ symbol: 'NOPEUSDT' }));
    expect(sym).toBeInstanceOf(ccxt.BadSymbol);
    expect(sim.orders()).toHaveLength(0);
  });

  it('bad signature (-1022) and unknown API key (-2015) -> AuthenticationError', async () => {
    const { sim } = await setup();
    const wrongSecret = createSimulatedBinance(sim, { secret: 'not-the-secret', enableRateLimit: false });
    const sig = await rejection(wrongSecret.fetchBalance());
    expect(sig).toBeInstanceOf(ccxt.AuthenticationError);
    expect(sig.message).toContain('-1022');
    const wrongKey = createSimulatedBinance(sim, { apiKey: 'someone-else', enableRateLimit: false });
    const key = await rejection(wrongKey.fetchBalance());
    expect(key).toBeInstanceOf(ccxt.AuthenticationError);
    expect(key.message).toContain('-2015');
    expect(sim.requests({ path: '/api/v3/account' }).map((r) => [r.status, r.code])).toEqual([[400, -1022], [401, -2015]]);
  });

  it('clock skew: a real skew and the clockSkew fault give -1021 as InvalidNonce; loadTimeDifference fixes the real one', async () => {
    const { sim, ex } = await setup({}, { options: { recvWindow: 5000 } });
    sim.setClockOffset(30_000); // the client is 30 s behind the server
    const behind = await rejection(ex.fetchBalance());
    expect(behind).toBeInstanceOf(ccxt.InvalidNonce);
    expect(behind).toBeInstanceOf(ccxt.NetworkError);
    expect(behind.message).toContain('Timestamp for this request is outside of the recvWindow.');
    sim.setClockOffset(-30_000); // the client is 30 s ahead
    expect((await rejection(ex.fetchBalance())).message).toContain('ahead of the server');
    await ex.loadTimeDifference();
    await ex.fetchBalance();
    sim.injectFault({ kind: 'clockSkew', path: '/api/v3/order' });
    const fault = await rejection(ex.createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, { clientOrderId: 'skew-1' }));
    expect(fault).toBeInstanceOf(ccxt.InvalidNonce);
    expect(sim.ordersByClientId('skew-1')).toHaveLength(0);
  });
});
