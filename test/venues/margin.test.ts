import ccxt from 'ccxt';
import { describe, expect, it } from 'vitest';
import type { VenueMarket } from '../../main/engine/core/ports.js';
import { applyMargin } from '../../main/engine/execution/margin.js';
import type { Signal } from '../../main/engine/signals/signal.js';
import { CcxtVenue } from '../../main/engine/venues/ccxt-venue.js';
import { isAlreadySet } from '../../main/engine/venues/margin-answers.js';
import { classifyError } from '../../main/engine/venues/venue-error.js';

/**
 * Leverage and margin mode on exchanges the simulator does not speak: what ccxt itself says it
 * cannot set is refused before any request, and the exchanges' "already set" answers (as ccxt
 * raises them) are recognised while real refusals are not.
 */
const PERP: VenueMarket = {
  symbol: 'BTC/USD:USD', id: 'PF_XBTUSD', base: 'BTC', quote: 'USD', settle: 'USD', type: 'swap', contract: true, contractSize: 1, active: true,
  precision: { amount: 0.0001, price: 1 }, limits: { amount: { min: null, max: null }, cost: { min: null, max: null } },
};
const signal = (over: Partial<Signal>): Signal => ({ dialect: 'native', strategy: 's', action: 'buy', symbol: 'KRAKEN:XBTUSD.P', orderType: 'market', ...over });
const entry = [{ leg: 0, purpose: 'entry' as const, side: 'buy' as const, type: 'market' as const, amount: 0.01, price: null, params: {} }];
const venueOf = (ex: InstanceType<typeof ccxt.Exchange>) => new CcxtVenue(ex, { account: 'main', mode: 'live', marketsRefreshMs: 60_000, now: Date.now });
const noRetry = <T>(fn: () => Promise<T>) => fn();

describe('leverage and margin mode where the exchange cannot set them', () => {
  it('refuses a margin_mode ccxt cannot set on krakenfutures (it has setLeverage, not setMarginMode), with no request', async () => {
    const ex = new ccxt.krakenfutures();
    let requests = 0;
    ex.fetch = async () => {
      requests++;
      throw new Error('no request expected');
    };
    const out = await applyMargin(venueOf(ex), PERP, signal({ marginMode: 'isolated', leverage: 5 }), { strategies: [] }, entry, noRetry);
    expect(out).toEqual({
      ok: false,
      code: 'margin_not_set',
      message:
        'Not executed: leverage 5x, isolated margin (from the alert) could not be set on BTC/USD:USD: krakenfutures cannot set the margin mode (isolated) of BTC/USD:USD through Pinebridge. ' +
        "Nothing was traded rather than trade at the account's own settings; set it on the exchange and remove it from the alert.",
    });
    expect(requests).toBe(0);
  });

  it('refuses a strategy default leverage on an exchange without setLeverage (kraken), naming the strategy', async () => {
    const out = await applyMargin(venueOf(new ccxt.kraken()), PERP, signal({}), { strategies: [{ name: 's', leverage: 3 }] } as never, entry, noRetry);
    expect(out.ok).toBe(false);
    expect(!out.ok && out.message).toMatch(/^Not executed: leverage 3x \(from strategy "s"'s settings\) could not be set .*kraken cannot set the leverage \(3x\).*remove it from strategy "s"'s settings\.$/);
  });

  it('asks nothing for exits, spot, or an alert and strategy that name no leverage', async () => {
    const venue = venueOf(new ccxt.kraken());
    const exit = [{ ...entry[0]!, purpose: 'exit' as const, params: { reduceOnly: true } }];
    expect(await applyMargin(venue, PERP, signal({ leverage: 5 }), { strategies: [] }, exit, noRetry)).toEqual({ ok: true, note: null });
    expect(await applyMargin(venue, { ...PERP, contract: false, type: 'spot' }, signal({ leverage: 5 }), { strategies: [] }, entry, noRetry)).toEqual({ ok: true, note: null });
    expect(await applyMargin(venue, PERP, signal({}), { strategies: [] }, entry, noRetry)).toEqual({ ok: true, note: null });
  });
});

describe('"already set" answers', () => {
  const classified = (e: Error, id: string) => classifyError(e, id);
  it('are success: Binance -4046 (ccxt MarginModeAlreadySet), Bybit 110043 and 110026', () => {
    expect(isAlreadySet(classified(new ccxt.MarginModeAlreadySet('binanceusdm {"code":-4046,"msg":"No need to change margin type."}'), 'binanceusdm'))).toBe(true);
    expect(isAlreadySet(classified(new ccxt.BadRequest('bybit {"retCode":110043,"retMsg":"Set leverage not modified","result":{},"retExtInfo":{},"time":1}'), 'bybit'))).toBe(true);
    expect(isAlreadySet(classified(new ccxt.MarginModeAlreadySet('bybit {"retCode":110026,"retMsg":"Cross/isolated margin mode is not modified"}'), 'bybit'))).toBe(true);
  });
  it('a real refusal is not: -4048, -4028, a Bybit leverage out of range', () => {
    expect(isAlreadySet(classified(new ccxt.ExchangeError('binanceusdm {"code":-4048,"msg":"Margin type cannot be changed if there exists position."}'), 'binanceusdm'))).toBe(false);
    expect(isAlreadySet(classified(new ccxt.BadRequest('binanceusdm {"code":-4028,"msg":"Leverage is not valid"}'), 'binanceusdm'))).toBe(false);
    expect(isAlreadySet(classified(new ccxt.BadRequest('bybit {"retCode":10001,"retMsg":"leverage invalid"}'), 'bybit'))).toBe(false);
  });
});
