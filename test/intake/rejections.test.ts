/**
 * Bounded journaling of unauthenticated rejections (issue 13, item 5), on a real engine with a
 * controlled clock: only the first 1 KiB of the body (secret removed) and its size are kept, the
 * first 10 per source per minute get their own row, and the rest of the minute becomes one
 * summary row counting them when the minute is over.
 */
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../main/engine/core/ports.js';
import { startHarness, TEST_SECRET } from '../support/engine-harness.js';
import { withJournal } from '../support/journal-reader.js';
import { postLikeTradingView } from '../support/slow-clients.js';

const MINUTE = 60_000;

describe('journaling of unauthenticated rejections', () => {
  it('keeps 1 KiB of a wrong-secret body, without the secret, and its size', async () => {
    const h = await startHarness();
    try {
      const body = JSON.stringify({ secret: 'a-wrong-guess-of-the-secret', strategy: 'x', pad: 'é'.repeat(20_000) });
      const res = await postLikeTradingView(`${h.url}/webhook`, body);
      expect(res.status).toBe(401);
      const row = h.engine.journal().alerts.get((JSON.parse(res.body) as { alertId: string }).alertId)!;
      expect(Buffer.byteLength(row.body)).toBeLessThanOrEqual(1024);
      expect(row.body.startsWith('{"secret":"[redacted]","strategy":"x","pad":"éé')).toBe(true);
      expect(row.body).not.toContain('a-wrong-guess');
      expect(row.bodyBytes).toBe(Buffer.byteLength(body));

      // An alert that proved the secret but is invalid is the user's own: kept whole.
      const own = await postLikeTradingView(`${h.url}/webhook`, JSON.stringify({ secret: TEST_SECRET, strategy: 'x', symbol: 'BTCUSDT', pad: 'y'.repeat(5000) }));
      expect(own.status).toBe(400);
      const ownRow = h.engine.journal().alerts.get((JSON.parse(own.body) as { alertId: string }).alertId)!;
      expect(ownRow.body.length).toBeGreaterThan(5000);
      expect(ownRow.bodyBytes).toBeNull();
    } finally {
      await h.close();
    }
  });

  it('journals 10 rejections per source per minute one by one and summarises the rest in one row', async () => {
    let t = Date.UTC(2026, 11, 3, 12, 0, 5);
    const clock: Clock = { now: () => t };
    const h = await startHarness({ clock });
    try {
      const answers: number[] = [];
      for (let i = 0; i < 35; i++) {
        const res = await postLikeTradingView(`${h.url}/webhook`, JSON.stringify({ secret: `guess-${i}`, action: 'buy' }), { localAddress: '127.0.0.11' });
        answers.push(res.status);
        // Beyond the budget the answer is the same, without an alert id.
        if (i >= 10) expect(JSON.parse(res.body)).not.toHaveProperty('alertId');
      }
      expect(answers.slice(0, 20).every((s) => s === 401)).toBe(true);
      expect(answers.slice(20).every((s) => s === 429)).toBe(true);
      const fromSource = () => h.engine.journal().alerts.list({ limit: 500 }).filter((a) => a.source === '127.0.0.11');
      expect(fromSource()).toHaveLength(10);

      // The next minute: its first request rolls the last one's summary into the journal.
      t += MINUTE;
      await postLikeTradingView(`${h.url}/webhook`, JSON.stringify({ secret: 'guess-next', action: 'buy' }), { localAddress: '127.0.0.11' });
      let summary = fromSource().find((a) => a.reasonCode === 'rejections_summarized');
      for (let i = 0; i < 50 && !summary; i++) {
        await new Promise((r) => setTimeout(r, 20));
        summary = fromSource().find((a) => a.reasonCode === 'rejections_summarized');
      }
      expect(summary).toBeDefined();
      expect(summary!.reason).toContain('25 more unauthenticated requests from 127.0.0.11 in the minute from 2026-12-03T12:00 UTC');
      const detail = h.engine.journal().alerts.get(summary!.id)!;
      expect(JSON.parse(detail.body)).toMatchObject({ rejected: 25, codes: { bad_secret: 10, too_many_auth_failures: 15 } });
      expect(fromSource()).toHaveLength(12);
    } finally {
      await h.close();
    }
  });

  it("writes the minute's summary on shutdown at the latest", async () => {
    const h = await startHarness();
    try {
      for (let i = 0; i < 14; i++) await postLikeTradingView(`${h.url}/webhook`, JSON.stringify({ action: 'buy' }), { localAddress: '127.0.0.12' });
      await h.engine.stop();
      const rows = withJournal(h.dataDir, (db) => db.prepare("SELECT reason_code, body FROM alerts WHERE source = '127.0.0.12'").all() as { reason_code: string; body: string }[]);
      const summaries = rows.filter((r) => r.reason_code === 'rejections_summarized');
      // Unless the minute turned during the run, 10 rows and one summary of 4.
      const counted = summaries.reduce((n, r) => n + (JSON.parse(r.body) as { rejected: number }).rejected, 0);
      expect(rows.length - summaries.length + counted).toBe(14);
      expect(summaries.length).toBeGreaterThanOrEqual(1);
    } finally {
      await h.close();
    }
  });
});
