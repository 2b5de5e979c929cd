/**
 * The dashboard's health figures on a PostgreSQL journal as on SQLite: signal-to-order from the
 * alerts' first sent orders (PostgreSQL refused the grouped query before; the Nodes card's
 * Chromium test found it).
 */
import { describe, expect, it } from 'vitest';
import { AckRecorder, computeHealth } from '../../main/engine/control/health.js';
import { Journal } from '../../main/engine/journal/journal.js';
import { journalStoreFixture } from '../support/journal-stores.js';

const { stores, location } = journalStoreFixture('health figures');

describe.each(stores)('health on %s', (store) => {
  it('signal to order: the first sent order of each alert since its receipt', () => {
    const now = Date.now();
    const j = Journal.open(location(store));
    try {
      for (const [id, delay] of [['a1', 40], ['a2', 120]] as const) {
        const receivedAt = now - 60_000;
        j.alerts.record({
          id, receivedAt, source: '127.0.0.1', dialect: 'native', strategy: 's1', action: 'buy', symbol: 'BTC/USDT', idemKey: `k-${id}`, idemSince: 0,
          body: '{}', signal: { strategy: 's1' }, status: 'accepted', httpStatus: 200, reasonCode: null, reason: null,
        });
        const intent = (leg: number) => ({
          clientOrderId: `${id}-${leg}`, alertId: id, leg, account: 'main', mode: 'paper' as const, exchange: 'paper', strategy: 's1', symbol: 'BTC/USDT',
          side: 'buy' as const, type: 'market' as const, amount: 0.5, price: null, triggerPrice: null, params: {}, purpose: 'entry' as const, createdAt: receivedAt,
        });
        j.intents.insert([intent(0), intent(1)]);
        j.intents.markSending(`${id}-0`, receivedAt + delay);
        j.intents.markSending(`${id}-1`, receivedAt + delay + 1000);
      }
      const h = computeHealth({ journal: j, acks: new AckRecorder(), now, startedAt: now - 1000, tunnel: null });
      expect(h.hour.alerts).toBe(2);
      expect(h.hour.signalToOrderMs).toMatchObject({ count: 2, max: 120 });
      expect(h.day.signalToOrderMs).toMatchObject({ count: 2 });
    } finally {
      j.close();
    }
  });
});
