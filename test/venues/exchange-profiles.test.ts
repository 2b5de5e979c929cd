/**
 * The exchange profiles' facts, on real ccxt error classes: which ccxt ids share a profile, the
 * clientOrderId each exchange accepts, and how each exchange's own error codes are read (the
 * "maybe executed" ones ccxt files as refusals, the duplicate ids ccxt files as InvalidOrder).
 */
import ccxt from 'ccxt';
import { describe, expect, it } from 'vitest';
import { clientOrderIdFor, profileFor } from '../../main/engine/venues/exchanges/index.js';
import { isAlreadySet } from '../../main/engine/venues/margin-answers.js';
import { classifyError } from '../../main/engine/venues/venue-error.js';
import { ulid } from '../../main/engine/core/ids.js';
import { CL_ORD_ID_PATTERN } from '../support/okx-simulator/index.js';
import { ORDER_LINK_ID_PATTERN } from '../support/bybit-simulator/index.js';

describe('exchange profiles', () => {
  it('maps ccxt ids to their exchange, and every other id to the generic profile', () => {
    for (const id of ['binance', 'binanceus', 'binanceusdm', 'binancecoinm']) expect(profileFor(id).id, id).toBe('binance');
    for (const id of ['okx', 'okxus', 'myokx', 'okex']) expect(profileFor(id).id, id).toBe('okx');
    expect(profileFor('bybit').id).toBe('bybit');
    expect(profileFor('kraken')).toMatchObject({ id: 'generic', support: 'untested' });
    expect(['binance', 'bybit', 'okx'].map((id) => profileFor(id).support)).toEqual(['verified', 'verified', 'verified']);
  });

  it('makes clientOrderIds each exchange accepts: OKX alphanumerics only (<= 32), Bybit and Binance with the leg after a hyphen', () => {
    const alert = ulid();
    for (const leg of [0, 1, 100, 101, 999]) {
      const okx = clientOrderIdFor('okx', alert, leg);
      expect(okx).toBe(`pb${alert}${leg}`);
      expect(okx).toMatch(CL_ORD_ID_PATTERN);
      const bybit = clientOrderIdFor('bybit', alert, leg);
      expect(bybit).toBe(`pb${alert}-${leg}`);
      expect(bybit).toMatch(ORDER_LINK_ID_PATTERN);
      expect(bybit.length).toBeLessThanOrEqual(36);
      expect(clientOrderIdFor('binanceusdm', alert, leg)).toBe(`pb${alert}-${leg}`);
      expect(clientOrderIdFor('paper', alert, leg)).toBe(`pb${alert}-${leg}`);
      expect(clientOrderIdFor('kraken', alert, leg)).toMatch(/^[A-Za-z0-9]{1,32}$/);
    }
    // An id the exchange would refuse is never made.
    expect(() => clientOrderIdFor('okx', `${alert}x-long`, 0)).toThrow(/clOrdId rule/);
  });

  it('reads Bybit 10016 and 170146 as "maybe executed" (transient), 110072 / 170141 as a duplicate id, 110043 as already set', () => {
    const sys = classifyError(new ccxt.ExchangeError('bybit {"retCode":10016,"retMsg":"System error. Please try again later.","result":{},"retExtInfo":{},"time":1}'), 'bybit');
    expect(sys).toMatchObject({ kind: 'transient', code: 'MaybeExecuted' });
    expect(sys.message).toContain('System error');
    expect(classifyError(new ccxt.InvalidOrder('bybit {"retCode":170146,"retMsg":"Order creation timeout","result":{},"time":1}'), 'bybit').kind).toBe('transient');
    expect(classifyError(new ccxt.InvalidOrder('bybit {"retCode":110072,"retMsg":"OrderLinkedID is duplicate","result":{},"time":1}'), 'bybit').kind).toBe('duplicate');
    expect(classifyError(new ccxt.InvalidOrder('bybit {"retCode":170141,"retMsg":"Duplicate clientOrderId","result":{},"time":1}'), 'bybit').kind).toBe('duplicate');
    // The same codes mean nothing special elsewhere: a Binance ExchangeError stays a refusal.
    expect(classifyError(new ccxt.ExchangeError('binance {"code":10016,"msg":"x"}'), 'binance').kind).toBe('permanent');
    const same = classifyError(new ccxt.BadRequest('bybit {"retCode":110043,"retMsg":"Set leverage not modified","result":{},"time":1}'), 'bybit');
    expect(same.message).toContain('(code 110043)');
    expect(isAlreadySet(same, 'bybit')).toBe(true);
    expect(isAlreadySet(same, 'okx')).toBe(false);
  });

  it('reads OKX 51016 as a duplicate id and words its per-order refusal (data[0].sMsg)', () => {
    const dup = classifyError(new ccxt.InvalidOrder('okx {"code":"1","data":[{"clOrdId":"pbX0","ordId":"","sCode":"51016","sMsg":"Duplicated client order ID","tag":""}],"msg":"Operation failed."}'), 'okx');
    expect(dup.kind).toBe('duplicate');
    const funds = classifyError(new ccxt.InsufficientFunds('okx {"code":"1","data":[{"sCode":"51008","sMsg":"Order failed. Insufficient USDT balance in account."}],"msg":"All operations failed"}'), 'okx');
    expect(funds.kind).toBe('permanent');
    expect(funds.message).toContain('Insufficient USDT balance in account. (code 51008)');
  });

  it('keeps the Binance readings: -2010 duplicate, NOTIONAL, -4046 already set, the spot key permission hint', () => {
    expect(classifyError(new ccxt.InvalidOrder('binance {"code":-2010,"msg":"Duplicate order sent."}'), 'binance').kind).toBe('duplicate');
    expect(classifyError(new ccxt.BadRequest('binance {"code":-1013,"msg":"Filter failure: NOTIONAL"}'), 'binance').message).toMatch(/below the market's minimum/);
    expect(isAlreadySet(classifyError(new ccxt.MarginModeAlreadySet('binanceusdm {"code":-4046,"msg":"No need to change margin type."}'), 'binanceusdm'), 'binanceusdm')).toBe(true);
    expect(classifyError(new ccxt.PermissionDenied('binance {"code":-2015,"msg":"no"}'), 'binance').message).toMatch(/enable spot trading for this key/);
  });

  it('reads a position side the account mode does not want (Binance -4061, Bybit "position idx not match") as PositionModeChanged; sends the side per exchange', () => {
    const binance = classifyError(new ccxt.InvalidOrder(`binanceusdm {"code":-4061,"msg":"Order's position side does not match user's setting."}`), 'binanceusdm');
    expect([binance.kind, binance.code]).toEqual(['permanent', 'PositionModeChanged']);
    expect(binance.message).toMatch(/changed since Pinebridge read it; send the alert again/);
    const bybit = classifyError(new ccxt.BadRequest('bybit {"retCode":10001,"retMsg":"position idx not match position mode","result":{},"time":1}'), 'bybit');
    expect([bybit.kind, bybit.code]).toEqual(['permanent', 'PositionModeChanged']);
    const perp = { contract: true } as Parameters<ReturnType<typeof profileFor>['createParams']>[1];
    const req = (side: 'buy' | 'sell', positionSide?: 'long' | 'short', reduceOnly?: boolean) => ({ symbol: 'BTC/USDT:USDT', side, type: 'market' as const, amount: 1, clientOrderId: 'x', ...(positionSide ? { positionSide } : {}), ...(reduceOnly ? { reduceOnly } : {}) });
    expect(profileFor('binanceusdm').createParams(req('sell', 'long'), perp)).toEqual({ positionSide: 'LONG' });
    expect(profileFor('binanceusdm').createParams(req('sell', undefined, true), perp)).toEqual({ reduceOnly: true });
    expect(profileFor('bybit').createParams(req('sell', 'long'), perp)).toEqual({ positionIdx: 1, reduceOnly: true });
    expect(profileFor('bybit').createParams(req('sell', 'short'), perp)).toEqual({ positionIdx: 2 });
    expect(profileFor('bybit').createParams(req('buy', undefined, true), perp)).toEqual({ reduceOnly: true });
    expect([profileFor('binanceusdm'), profileFor('bybit'), profileFor('okx')].map((p) => p.capabilities({}, p.id === 'binance' ? 'binanceusdm' : p.id).hedgeMode === true)).toEqual([true, true, false]);
  });

  it('gives OKX the 30 s request validity as the resend guard, the others their recvWindow', () => {
    expect(profileFor('okx').resendGuardMs({})).toBe(31_000);
    expect(profileFor('bybit').resendGuardMs({ recvWindow: 2000 })).toBe(3000);
    expect(profileFor('binance').resendGuardMs({ recvWindow: 5000 })).toBe(6000);
  });
});
