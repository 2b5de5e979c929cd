/**
 * Latency attribution in the journal, through a real engine (paper, real SQLite, real HTTP):
 * each accepted alert's steps are kept by the transactions that record them; a resting order is
 * acknowledged but not filled; a paused alert is received and answered only; a duplicate and a
 * rejected request are not timed; pruning an alert takes its row along; the dashboard's
 * percentiles count what was measured.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { alertLatency } from '../../main/engine/journal/latency.js';
import { FAST, NO_RISK, SECRET, startExec, type ExecHarness } from '../execution/exec-harness.js';
import { journalStores, startPostgres, type PgCluster } from '../support/postgres.js';

const stores = journalStores('journal latency');
let pg: PgCluster | null = null;
beforeAll(async () => {
  if (stores.includes('postgres')) pg = await startPostgres();
});
afterAll(() => pg?.destroy());

let h: ExecHarness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

const buy = (over: Record<string, unknown> = {}) => ({ strategy: 'lat', action: 'buy', symbol: 'BTCUSDT', quantity: '0.01', price: '65000', ...over });

describe.each(stores)('alert latency in the journal on %s', (store) => {
  const databaseUrl = () => (store === 'postgres' ? (pg as PgCluster).createDatabase() : undefined);
  it('keeps fired, received, answered, sent, acknowledged and filled for a market order, in that order', async () => {
    h = await startExec({ databaseUrl: databaseUrl(), overrides: { ...NO_RISK, ...FAST } });
    const fired = Date.now() - 1500;
    const a = await h.run(buy({ timenow: new Date(fired).toISOString() }));
    expect(a.status).toBe('executed');
    const l = await h.engine.api.getAlertLatency({ id: a.id });
    expect(l).not.toBeNull();
    expect(l!.firedAt).toBe(fired);
    const order = [l!.firedAt, l!.receivedAt, l!.answeredAt, l!.sentAt, l!.ackedAt, l!.filledAt];
    expect(order.every((t) => typeof t === 'number')).toBe(true);
    expect(l!.receivedAt).toBe(a.receivedAt);
    expect(l!.receivedAt - fired).toBeGreaterThanOrEqual(1500);
    for (const [i, t] of order.slice(2).entries()) expect(t!, `step ${i + 2}`).toBeGreaterThanOrEqual(l!.receivedAt);
    expect(l!.ackedAt!).toBeGreaterThanOrEqual(l!.sentAt!);
    expect(l!.filledAt!).toBeGreaterThanOrEqual(l!.ackedAt!);
  });

  it('a resting limit order is acknowledged, not filled; a paused alert is answered only; duplicates and rejections are not timed', async () => {
    h = await startExec({ databaseUrl: databaseUrl(), overrides: { ...NO_RISK, ...FAST } });
    const limit = await h.run(buy({ order_type: 'limit', price: '50000', time: String(Date.now()) }));
    const rest = await h.engine.api.getAlertLatency({ id: limit.id });
    expect(h.intents(limit.id)[0]?.status).toBe('open');
    expect(rest).toMatchObject({ filledAt: null });
    expect(rest!.sentAt).not.toBeNull();
    expect(rest!.ackedAt).not.toBeNull();

    await h.engine.api.pauseTrading({ reason: 'test' });
    const paused = await h.run(buy({ id: 'same-id' }));
    expect(paused.status).toBe('skipped');
    const p = await h.engine.api.getAlertLatency({ id: paused.id });
    expect(p).toMatchObject({ firedAt: null, sentAt: null, ackedAt: null, filledAt: null });
    await expect.poll(async () => (await h!.engine.api.getAlertLatency({ id: paused.id }))?.answeredAt).not.toBeNull();

    const dup = await fetch(`${h.url}/webhook`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ secret: SECRET, ...buy({ id: 'same-id' }) }) });
    const dupBody = (await dup.json()) as { status: string };
    expect(dupBody.status).toBe('duplicate');
    const rejected = await fetch(`${h.url}/webhook`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ secret: SECRET, strategy: 'lat', symbol: 'BTCUSDT' }) });
    expect(rejected.status).toBe(400);
    const db = h.engine.journal().db;
    const timed = db.prepare(`SELECT count(*) AS n FROM alert_latency`).get() as { n: number };
    const all = db.prepare(`SELECT count(*) AS n FROM alerts`).get() as { n: number };
    expect(all.n).toBe(4);
    expect(timed.n).toBe(2);

    // The dashboard: two alerts in the hour; only the limit one carried a fire time and was sent.
    const stats = await h.engine.api.getLatencyStats({});
    expect(stats.hour.alerts).toBe(2);
    expect(stats.hour.segments.tradingview?.count).toBe(1);
    expect(stats.hour.segments.answer?.count).toBe(2);
    expect(stats.hour.segments.toOrder?.count).toBe(1);
    expect(stats.hour.segments.exchange?.count).toBe(1);
    expect(stats.hour.segments.fill).toBeNull();
    expect(stats.day.alerts).toBe(2);

    // Retention prunes alerts: their latency goes with them.
    db.prepare(`DELETE FROM alerts WHERE id = ?`).run(paused.id);
    expect(alertLatency(db, paused.id)).toBeNull();
    expect(alertLatency(db, limit.id)).not.toBeNull();
  });
});
