/**
 * Reliability: forged sources and rejection floods (issue 13, items 4 and 5), through
 * `pinebridge serve` behind the real localtunnel client and the local tunnel server:
 * - a rotating, forged X-Forwarded-For, sent straight to the listener or through the tunnel, does
 *   not evade the wrong-secret limiter (429s appear) and never becomes a journaled source: the
 *   source is the socket's peer, or through the tunnel the address the tunnel server saw;
 * - 10 000 wrong-secret requests (4 KiB bodies, forged sources) grow the journal by a bounded
 *   amount: at most 10 rows of their own per source per minute, each with its body clipped to
 *   1 KiB, plus one summary row per minute counting the rest. Every request is accounted for
 *   (journaled or counted), and the growth per 10 000 requests is printed.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withJournal } from '../support/journal-reader.js';
import { postLikeTradingView } from '../support/slow-clients.js';
import { tempDir } from '../support/temp-dir.js';
import { startTunneledServe, type TunneledServe } from '../support/tunnel-serve.js';

const SECRET = 'rel-forged-sources-secret-9Tq2Lm5Vx8Rb3Kc';
const FLOOD = 10_000;
const PER_SOURCE_PER_MINUTE = 10;

interface Row {
  source: string;
  status: string;
  reason_code: string;
  body: string;
  body_bytes: number | null;
}

const wrongSecret = (i: number, pad = 0) =>
  JSON.stringify({ secret: `guess-${i}`, strategy: 'x', action: 'buy', symbol: 'BINANCE:BTCUSDT', quantity: '0.001', pad: 'p'.repeat(pad) });

const rowsFrom = (dataDir: string, source: string): Row[] =>
  withJournal(dataDir, (db) => db.prepare('SELECT source, status, reason_code, body, body_bytes FROM alerts WHERE source = ? ORDER BY seq').all(source) as Row[]);

const journalBytes = (dataDir: string): number =>
  withJournal(dataDir, (db) => (db.pragma('page_count', { simple: true }) as number) * (db.pragma('page_size', { simple: true }) as number));

/** POSTs with a forged X-Forwarded-For from `localAddress`; resolves with the status. */
const postForged = async (url: string, body: string, xff: string, localAddress: string, agent?: http.Agent): Promise<number> =>
  (await postLikeTradingView(url, body, { localAddress, headers: { 'x-forwarded-for': xff }, cancelMs: 20_000, ...(agent ? { agent } : {}) })).status;

describe('forged X-Forwarded-For and rejection floods through pinebridge serve', () => {
  const dir = tempDir();
  let t: TunneledServe;
  beforeAll(async () => {
    t = await startTunneledServe({ dataDir: dir.path, webhookSecret: SECRET, maxConnCount: 10 });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    dir.cleanup();
  });

  it('a rotating forged X-Forwarded-For straight to the listener meets the limiter and is not journaled as the source', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) statuses.push(await postForged(t.serve.webhookUrl, wrongSecret(i), `203.0.113.${i}, 52.89.214.238`, '127.0.0.5'));
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses.filter((s) => s === 429).length).toBe(40);
    const forged = withJournal(dir.path, (db) => db.prepare("SELECT count(*) AS n FROM alerts WHERE source LIKE '203.0.113.%' OR source = '52.89.214.238'").get() as { n: number });
    expect(forged.n).toBe(0);
    expect(rowsFrom(dir.path, '127.0.0.5').length).toBeGreaterThan(0);
  });

  it('through the tunnel, the source is the address the tunnel server saw, whatever the sender wrote', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push(await postForged(t.publicWebhookUrl, wrongSecret(i), `198.51.100.${i}`, '127.0.0.4'));
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(20).every((s) => s === 429)).toBe(true);
    const rows = rowsFrom(dir.path, '127.0.0.4');
    expect(rows.length).toBeGreaterThan(0);
    const forged = withJournal(dir.path, (db) => db.prepare("SELECT count(*) AS n FROM alerts WHERE source LIKE '198.51.100.%'").get() as { n: number });
    expect(forged.n).toBe(0);
    // An alert with the right secret through the tunnel still goes in.
    const ok = await postLikeTradingView(t.publicWebhookUrl, JSON.stringify({ secret: SECRET, strategy: 'tv', action: 'buy', symbol: 'BINANCE:BTCUSDT', quantity: '0.001', price: '65000', id: 'through-the-tunnel' }), {
      localAddress: '127.0.0.7',
    });
    expect(ok.status).toBe(200);
  });

  it(`${FLOOD} wrong-secret requests grow the journal by a bounded amount, and every one is accounted for`, async () => {
    const source = '127.0.0.6';
    const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
    const before = journalBytes(dir.path);
    const startedMinute = Math.floor(Date.now() / 60_000);
    const counts: Record<number, number> = {};
    let next = 0;
    const worker = async () => {
      while (next < FLOOD) {
        const i = next++;
        const status = await postForged(t.serve.webhookUrl, wrongSecret(i, 4000), `192.0.2.${i % 250}`, source, agent);
        counts[status] = (counts[status] ?? 0) + 1;
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    agent.destroy();
    const minutes = Math.floor(Date.now() / 60_000) - startedMinute + 1;
    // The minute's summary is written on shutdown at the latest.
    await t.serve.stop();
    const after = journalBytes(dir.path);
    const rows = rowsFrom(dir.path, source);
    const single = rows.filter((r) => r.reason_code !== 'rejections_summarized');
    const summaries = rows.filter((r) => r.reason_code === 'rejections_summarized');
    const counted = summaries.reduce((n, r) => n + (JSON.parse(r.body) as { rejected: number }).rejected, 0);
    const figures = { requests: FLOOD, answers: counts, minutes, rows: rows.length, summaries: summaries.length, journalBytesAdded: after - before };
    console.log(JSON.stringify({ journalGrowthPer10kRejected: Math.round(((after - before) * 10_000) / FLOOD), ...figures }));

    expect(counts[401]! + counts[429]!).toBe(FLOOD);
    expect(single.length + counted).toBe(FLOOD);
    expect(single.length).toBeLessThanOrEqual(PER_SOURCE_PER_MINUTE * minutes);
    expect(summaries.length).toBeLessThanOrEqual(minutes);
    // A request over the per-source rate limit (a fast machine can pass 1000/s here) is refused
    // before its body is read: nothing of it is kept but its declared size.
    const unread = single.filter((r) => r.reason_code === 'rate_limited');
    const read = single.filter((r) => r.reason_code !== 'rate_limited');
    expect(read.length).toBeGreaterThan(0);
    for (const r of single) {
      // The size of what was sent (4 KiB and a little).
      expect(r.body_bytes).toBeGreaterThan(4000);
      expect(Buffer.byteLength(r.body)).toBeLessThanOrEqual(1024);
      expect(r.body).not.toContain('guess-');
    }
    // Of a body that was read only the start is kept, secret removed.
    for (const r of read) expect(r.body).toMatch(/^\{"secret":"\[redacted\]","strategy":"x"/);
    for (const r of unread) expect(r.body).toBe('');
    // Rows of at most 1 KiB of body and their fields: a 4 KiB page each is more than enough.
    expect(after - before).toBeLessThanOrEqual(rows.length * 4096);
  }, 180_000);
});
