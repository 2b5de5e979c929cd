import { describe, expect, it } from 'vitest';
import { honourSignal } from '../../main/engine/signals/honour.js';
import { ORDER_FIELDS, type OrderFieldName } from '../../main/engine/signals/order-fields.js';
import { readSignal } from '../../main/engine/signals/read-alert.js';

/**
 * The alert fields that reach the exchange are one table (signals/order-fields.ts): the native
 * dialect knows each one from it, reads it to its Signal key, and the honour step says from it
 * when one is not used. A field added to the table is read and warned about with no other file.
 */

/** A valid value of each field, and what it reads as. */
const SAMPLES: Record<OrderFieldName, [unknown, unknown]> = {
  leverage: ['5x', 5],
  margin_mode: ['crossed', 'cross'],
  time_in_force: ['GTX', 'post_only'],
  stop_price: ['64000', 64000],
  limit_offset: ['0.1%', { percent: 0.1 }],
  expire_after: [60, 60],
  trailing_stop: ['1.5%', { percent: 1.5 }],
};

const base = { strategy: 't', action: 'buy', symbol: 'BINANCE:BTCUSDT', quantity: '0.01' };

describe('the order fields table', () => {
  it('covers every field of the table with a sample (so this test grows with it)', () => {
    expect(Object.keys(SAMPLES).sort()).toEqual(Object.keys(ORDER_FIELDS).sort());
  });

  for (const name of Object.keys(ORDER_FIELDS) as OrderFieldName[]) {
    it(`${name}: known to the native dialect, read to its Signal key, its own error when wrong`, () => {
      const [value, read] = SAMPLES[name];
      const r = readSignal({ ...base, [name]: value });
      if (!r.ok) throw new Error(r.rejection.message);
      expect(r.signal[ORDER_FIELDS[name].key]).toEqual(read);
      expect(r.signal.warnings ?? []).not.toContain(`unknown field ${name}: ignored`);
      const bad = readSignal({ ...base, [name]: 'not-a-value{' });
      expect(bad.ok).toBe(false);
      if (!bad.ok) {
        expect(bad.rejection.status).toBe(400);
        expect(bad.rejection.message).toContain(name);
      }
    });
  }

  it('says from the table which fields a spot market buy cannot use, in its order', () => {
    const all = Object.fromEntries(Object.entries(SAMPLES).map(([k, [v]]) => [k, v]));
    const r = readSignal({ ...base, ...all });
    if (!r.ok) throw new Error(r.rejection.message);
    const h = honourSignal(r.signal, { derivatives: false, parity: 'warn' });
    if (!h.ok) throw new Error(h.rejection.message);
    expect(h.signal.warnings).toEqual([
      'leverage is not used on spot: ignored',
      'margin_mode is not used on spot: ignored',
      'time_in_force is not used on a market order: ignored',
      'stop_price is not used on a market order: ignored (order_type stop or stop_limit uses it)',
      "limit_offset is not used on a market order: ignored (it moves a limit order's price)",
      'expire_after is not used on a market order: ignored (it fills at once)',
    ]);
    // On a perpetual, a limit order uses all but stop_price; a stop_limit uses them all.
    const limit = readSignal({ ...base, ...all, order_type: 'limit', price: '65000' });
    if (!limit.ok) throw new Error(limit.rejection.message);
    const ok = honourSignal(limit.signal, { derivatives: true, parity: 'warn' });
    if (!ok.ok) throw new Error(ok.rejection.message);
    expect(ok.signal.warnings).toEqual(['stop_price is not used on a limit order: ignored (order_type stop or stop_limit uses it)']);
    const { limit_offset: _offset, ...noOffset } = all;
    const stopLimit = readSignal({ ...base, ...noOffset, order_type: 'stop_limit', price: '65000' });
    if (!stopLimit.ok) throw new Error(stopLimit.rejection.message);
    const none = honourSignal(stopLimit.signal, { derivatives: true, parity: 'warn' });
    if (!none.ok) throw new Error(none.rejection.message);
    expect(none.signal.warnings).toBeUndefined();
  });
});
