/**
 * Source addresses (issue 13, item 4), on a real engine: X-Forwarded-For is read only from a
 * trusted proxy, from the right; TradingView's allowlist answers 403 to anyone else.
 */
import { describe, expect, it } from 'vitest';
import { settingsSchema } from '../../main/engine/core/config.js';
import { startHarness, TEST_SECRET } from '../support/engine-harness.js';
import { postLikeTradingView } from '../support/slow-clients.js';

const alert = (id: string) =>
  JSON.stringify({ secret: TEST_SECRET, strategy: 's', action: 'buy', symbol: 'BINANCE:BTCUSDT', quantity: '0.01', price: '65000', id });

describe('webhook source addresses', () => {
  it('ignores X-Forwarded-For from a peer that is not a trusted proxy (the default trusts only the tunnel)', async () => {
    const h = await startHarness();
    try {
      const res = await postLikeTradingView(`${h.url}/webhook`, alert('a'), { localAddress: '127.0.0.9', headers: { 'x-forwarded-for': '52.89.214.238' } });
      expect(res.status).toBe(200);
      const id = (JSON.parse(res.body) as { alertId: string }).alertId;
      expect(h.engine.journal().alerts.get(id)?.source).toBe('127.0.0.9');
    } finally {
      await h.close();
    }
  });

  it('behind a trusted proxy takes the right-most address that is not itself a trusted proxy', async () => {
    const h = await startHarness({ overrides: { webhook: { trustProxy: ['127.0.0.1', '10.0.0.0/8'] } } });
    try {
      const cases: [string, string][] = [
        ['6.6.6.6, 203.0.113.9', '203.0.113.9'],
        ['6.6.6.6, 203.0.113.9, 10.1.2.3', '203.0.113.9'],
        ['::ffff:198.51.100.4', '198.51.100.4'],
        ['10.0.0.1, 10.0.0.2', '127.0.0.1'],
        ['6.6.6.6, not-an-address', '127.0.0.1'],
      ];
      for (const [xff, source] of cases) {
        const res = await postLikeTradingView(`${h.url}/webhook`, alert(xff), { localAddress: '127.0.0.1', headers: { 'x-forwarded-for': xff } });
        expect(res.status, res.body).toBe(200);
        const id = (JSON.parse(res.body) as { alertId: string }).alertId;
        expect(h.engine.journal().alerts.get(id)?.source, xff).toBe(source);
      }
    } finally {
      await h.close();
    }
  });

  it('with allowTradingViewIpsOnly, refuses anyone but TradingView with 403 and a reason, and journals it', async () => {
    const h = await startHarness({ overrides: { webhook: { trustProxy: ['127.0.0.1'], allowTradingViewIpsOnly: true } } });
    try {
      const direct = await postLikeTradingView(`${h.url}/webhook`, alert('d'), { localAddress: '127.0.0.9' });
      expect(direct.status).toBe(403);
      const error = (JSON.parse(direct.body) as { error: { code: string; message: string }; alertId: string });
      expect(error.error.code).toBe('source_not_allowed');
      expect(error.error.message).toContain('127.0.0.9');
      expect(error.error.message).toContain('52.89.214.238');
      expect(h.engine.journal().alerts.get(error.alertId)).toMatchObject({ status: 'rejected', source: '127.0.0.9', httpStatus: 403 });

      const proxied = await postLikeTradingView(`${h.url}/webhook`, alert('p'), { localAddress: '127.0.0.1', headers: { 'x-forwarded-for': '198.51.100.7' } });
      expect(proxied.status).toBe(403);
      // A forged TradingView address left of the real one does not help.
      const forged = await postLikeTradingView(`${h.url}/webhook`, alert('f'), { localAddress: '127.0.0.1', headers: { 'x-forwarded-for': '52.89.214.238, 198.51.100.7' } });
      expect(forged.status).toBe(403);
      const tradingView = await postLikeTradingView(`${h.url}/webhook`, alert('tv'), { localAddress: '127.0.0.1', headers: { 'x-forwarded-for': '34.212.75.30' } });
      expect(tradingView.status, tradingView.body).toBe(200);
    } finally {
      await h.close();
    }
  });

  it('refuses a trustProxy entry that is not "tunnel", an address or a CIDR block', () => {
    expect(settingsSchema.safeParse({ webhook: { trustProxy: ['tunnel', '10.0.0.0/8', '::1', '192.168.1.10'] } }).success).toBe(true);
    for (const bad of ['localhost', '10.0.0.0/33', '10.0.0.0/8/1', 'fe80::/200']) {
      const r = settingsSchema.safeParse({ webhook: { trustProxy: [bad] } });
      expect(r.success, bad).toBe(false);
      expect(r.error?.issues[0]?.message, bad).toContain('webhook.trustProxy');
    }
  });
});
