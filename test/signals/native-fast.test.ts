/**
 * The native dialect's fast path (dialects/native-fast.ts) against its zod schema, on one corpus:
 * hand-picked alerts (valid and invalid) and a seeded random mix of fields and values (common and
 * rare fields, good and bad values, placeholders, wrong types, `__proto__`). Wherever the fast
 * path takes a body, zod accepts it too and the signal is the same; the dialect's verdict on every
 * body is zod's. And the fast path does take the common alerts (else it would be dead weight).
 */
import { describe, expect, it } from 'vitest';
import { nativeDialect, nativeSchema, nativeToSignal } from '../../main/engine/signals/dialects/native.js';
import { readCommonNative } from '../../main/engine/signals/dialects/native-fast.js';
import { seededRandom, testSeed } from '../support/seeded-random.js';

const VALUES: Record<string, unknown[]> = {
  secret: ['s3cret', '', 42, null],
  strategy: ['ma-cross', '  ma cross  ', 'Été (v2) #1', '', '   ', 'a'.repeat(64), 'a'.repeat(65), 'bad/char', 'x;drop', 7, null],
  action: ['buy', 'SELL', ' Close Long ', 'close-short', 'exit', 'position', 'cancel', 'hold', '', 3, null, '{{strategy.order.action}}'],
  symbol: ['BINANCE:BTCUSDT', ' BTCUSDT ', 'ETH/USDT', '', '   ', 'S'.repeat(64), 'S'.repeat(65), 12, null, '{{ticker}}'],
  quantity: ['0.01', 0.5, '100usdt', '100 USD', '25%', '150%', 'risk=1%', 'risk: 2 %', 'risk=120%', '-1', 0, '1e20', '1_000', 'abc', '', null, [], {}],
  contracts: ['2', 3, '0', 'x', null],
  order_type: ['market', 'LIMIT', ' limit ', 'stop', 'stop-market', 'stop_limit', 'iceberg', 1, null],
  price: ['65000', 65000.5, ' 1.5 ', '0', -3, '1e16', '1e-16', 'NaN', '{{close}}', null, true],
  stop_loss: ['64000', '2%', ' 1.5 % ', '-2%', '0', 'x%', 64000, null],
  take_profit: ['66000', '3%', [{ price: '2%', size: '50%' }, { price: '4%', size: '50%' }]],
  position: ['0', '-0.5', 1, 'x'],
  position_size: ['0', '-0.02', 0.02, '1e16', 'x', null],
  market_position: ['long', ' SHORT ', 'flat', 'up', null],
  prev_market_position: ['flat', 'long', 'sideways'],
  market_position_size: ['0.02', 0, '-1', 'x'],
  sentiment: ['bullish', 'bearish', 'flat', 'meh'],
  account: ['main', '  sub ', '', 'a'.repeat(65)],
  id: ['ma-1', 12345, ' 7 ', '', 'i'.repeat(128), 'i'.repeat(129), null, { a: 1 }],
  time: ['2026-01-31T14:00:00Z', 1769868000000, '1769868000', 1769868000, '0', 'yesterday', -5, null],
  timenow: ['2026-01-31T14:00:00Z', 'not a time'],
  comment: ['hello', '', 'c'.repeat(500), 'c'.repeat(501), 5],
  leverage: ['5x', 3],
  stop_price: ['64000', '0'],
  time_in_force: ['gtc', 'post-only'],
  legs: [[{ price: '64000', quantity: '0.01' }]],
  trailing_stop: ['1%'],
  move_stop_to_breakeven_after: [1],
  unknown_field: ['x'],
  __proto__: ['x'],
  constructor: ['x'],
};

const HAND: Record<string, unknown>[] = [
  { secret: 's', strategy: 'ma-cross', action: 'buy', symbol: 'BINANCE:BTCUSDT', quantity: '0.01', order_type: 'market', price: '65000', id: 'a-1', time: '2026-01-31T14:00:00Z' },
  { action: 'sell', symbol: 'BTCUSDT', quantity: '100usdt' },
  { action: 'buy', symbol: 'BTCUSDT', quantity: 'risk=1%', stop_loss: '2%' },
  { action: 'buy', symbol: 'BTCUSDT', quantity: 'risk=1%' },
  { symbol: 'BTCUSDT', position_size: '-0.02', contracts: '0.02', market_position: 'short', prev_market_position: 'flat' },
  { symbol: 'BTCUSDT', market_position: 'flat' },
  { symbol: 'BTCUSDT', market_position: 'long', market_position_size: '0.5' },
  { symbol: 'BTCUSDT', market_position: 'long' },
  { action: 'position', symbol: 'BTCUSDT' },
  { action: 'buy', symbol: 'BTCUSDT', order_type: 'limit', price: 64000, timenow: 1769868000 },
  { action: 'buy', symbol: 'BTCUSDT', quantity: '0.01', comment: 'x', account: 'main' },
  { action: 'buy', symbol: 'BTCUSDT', quantity: '{{strategy.order.contracts}}' },
  { action: 'buy' },
  { action: 'buy', symbol: 'BTCUSDT', order_type: 'stop' },
  JSON.parse('{"action":"buy","symbol":"BTCUSDT","__proto__":{"x":1}}') as Record<string, unknown>,
];

function corpus(seed: number, n: number): Record<string, unknown>[] {
  const rng = seededRandom(seed);
  const keys = Object.keys(VALUES);
  const common = ['strategy', 'action', 'symbol', 'quantity', 'price', 'id', 'time', 'secret', 'order_type'];
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    // Half near the common alert (a few of its fields, sometimes one more), half anything at all.
    const chosen = rng.chance(0.5) ? rng.shuffle(common).slice(0, rng.int(2, common.length)).concat(rng.chance(0.3) ? [rng.pick(keys)] : []) : rng.shuffle(keys).slice(0, rng.int(0, 8));
    const body: Record<string, unknown> = {};
    for (const k of chosen) {
      const pool = VALUES[k]!;
      // Mostly the first (good) values, so that valid bodies are common too.
      const v = rng.chance(0.7) ? pool[rng.int(0, Math.min(2, pool.length - 1))] : rng.pick(pool);
      Object.defineProperty(body, k, { value: v, enumerable: true, configurable: true, writable: true });
    }
    if (rng.chance(0.6)) body.symbol ??= 'BINANCE:BTCUSDT';
    if (rng.chance(0.6)) body.action ??= 'buy';
    out.push(body);
  }
  return out;
}

describe('native dialect: the fast path and zod', () => {
  const seed = testSeed('PINEBRIDGE_NATIVE_FAST_SEED', 18);
  const bodies = [...HAND, ...corpus(seed, 20_000)];

  it(`give the same verdict and the same signal on every body (seed ${seed})`, () => {
    let fastTaken = 0;
    let zodValid = 0;
    for (const body of bodies) {
      const zod = nativeSchema.safeParse(body);
      const fast = readCommonNative(body);
      const verdict = nativeDialect.read(body);
      if (zod.success) zodValid++;
      expect([body, verdict.ok]).toEqual([body, zod.success]);
      if (fast) {
        fastTaken++;
        expect([body, zod.success]).toEqual([body, true]);
        const fromZod = nativeToSignal(zod.data!, body);
        expect(nativeToSignal(fast as never, body)).toStrictEqual(fromZod);
        expect(verdict.ok && verdict.signal).toStrictEqual(fromZod);
      }
    }
    // The corpus has both kinds in numbers, and the fast path takes most valid bodies.
    expect(zodValid).toBeGreaterThan(2000);
    expect(bodies.length - zodValid).toBeGreaterThan(2000);
    expect(fastTaken / zodValid).toBeGreaterThan(0.5);
  });

  it('takes the common alert (the one DESIGN.md shows) and leaves a refusal to zod', () => {
    expect(readCommonNative(HAND[0]!)).not.toBeNull();
    expect(readCommonNative({ action: 'buy', symbol: 'BTCUSDT', quantity: 'risk=1%' })).toBeNull();
    expect(readCommonNative({ action: 'buy', symbol: 'BTCUSDT', price: '{{close}}' })).toBeNull();
    expect(readCommonNative({ action: 'buy', symbol: 'BTCUSDT', leverage: '5x' })).toBeNull();
  });
});
