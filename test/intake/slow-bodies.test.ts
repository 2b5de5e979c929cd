/**
 * Slow bodies (issue 13, item 3), on a real engine: a source gets at most 2 slow bodies in
 * flight (the next request is refused at once, extra ones are cut off), and a burst of fast
 * alerts from one source is never touched by that cap.
 */
import { describe, expect, it } from 'vitest';
import { startHarness, TEST_SECRET } from '../support/engine-harness.js';
import { postLikeTradingView, startSlowClients } from '../support/slow-clients.js';

describe('slow request bodies', () => {
  it('caps slow bodies per source and answers the rest at once with 429, while other sources go on', async () => {
    const h = await startHarness();
    const port = Number(new URL(h.url).port);
    const slow = startSlowClients({ port, path: '/webhook', kinds: ['body', 'body', 'body', 'body'], localAddress: () => '127.0.0.21' });
    try {
      const end = Date.now() + 5000;
      while (!(slow.outcomes()['429'] ?? 0) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
      expect(slow.outcomes()['429']).toBeGreaterThan(0);
      const next = await postLikeTradingView(`${h.url}/webhook`, '{"secret":"x"}', { localAddress: '127.0.0.21' });
      expect(next.status).toBe(429);
      expect((JSON.parse(next.body) as { error: { code: string } }).error.code).toBe('too_many_slow_requests');
      const other = await postLikeTradingView(
        `${h.url}/webhook`,
        JSON.stringify({ secret: TEST_SECRET, strategy: 's', action: 'buy', symbol: 'BINANCE:BTCUSDT', quantity: '0.01', price: '65000', id: 'other' }),
        { localAddress: '127.0.0.22' },
      );
      expect(other.status).toBe(200);
    } finally {
      slow.stop();
      await h.close();
    }
  });

  it('never refuses a burst of fast alerts from one source', async () => {
    const h = await startHarness();
    try {
      const answers = await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          postLikeTradingView(
            `${h.url}/webhook`,
            JSON.stringify({ secret: TEST_SECRET, strategy: 's', action: 'buy', symbol: 'BINANCE:BTCUSDT', quantity: '0.01', price: '65000', id: `burst-${i}` }),
            { localAddress: '127.0.0.23', cancelMs: 20_000 },
          ),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(60).fill(200));
    } finally {
      await h.close();
    }
  });
});
