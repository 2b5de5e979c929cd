/**
 * The control commands the UI relies on, through a real engine (SQLite journal, paper venue,
 * webhook over HTTP): settings persistence without secrets, live confirmation, keys shown only as
 * set / last 4, health figures, and the P&L replay agreeing with the position ledger.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, TEST_SECRET, type Harness } from '../support/engine-harness.js';

const harnesses: Harness[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.close();
});
async function engine(): Promise<Harness> {
  const h = await startHarness();
  harnesses.push(h);
  return h;
}
const alert = (over: Record<string, unknown>) => ({ secret: TEST_SECRET, strategy: 'c1', action: 'buy', symbol: 'BINANCE:SOLUSDT', quantity: '2', price: '150', ...over });

describe('control API', () => {
  it('persists settings to the settings file, and refuses live without explicit confirmation', async () => {
    const h = await engine();
    const api = h.engine.api;
    await api.saveStrategy({ strategy: { name: 'c1', symbol: 'BINANCE:SOLUSDT', quantity: '2', limits: { maxOrderNotional: 500 } } });
    await api.updateSettings({ patch: { startAtLogin: true, limits: { dailyLossLimit: 50 }, setupCompleted: true } });
    await expect(api.updateSettings({ patch: { mode: 'live' } })).rejects.toMatchObject({ code: 'confirm_live' });
    expect((await api.getSettings({})).mode).toBe('paper');
    expect((await api.updateSettings({ patch: { mode: 'live' }, confirmLive: true })).mode).toBe('live');

    const file = JSON.parse(readFileSync(join(h.dataDir, 'settings.json'), 'utf8')) as Record<string, unknown>;
    expect(file).toMatchObject({ mode: 'live', startAtLogin: true, limits: { dailyLossLimit: 50 }, strategies: [{ name: 'c1', limits: { maxOrderNotional: 500 } }] });
    expect(typeof file.setupCompletedAt).toBe('number');
  });

  it('keeps exchange keys and notification tokens out of settings and answers only set / last 4', async () => {
    const h = await engine();
    const api = h.engine.api;
    const saved = await api.setCredentials({ account: 'main', mode: 'testnet', apiKey: 'AKEY-0123456789-WXYZ', secret: 'SECRET-abcdefghijklmnop' });
    // Keys saved without a passing check are marked unchecked (issue 17 item 5).
    expect(saved).toEqual({ account: 'main', mode: 'testnet', apiKey: { set: true, last4: 'WXYZ' }, secret: { set: true }, password: { set: false }, check: { state: 'unchecked', last: null } });
    const settings = await api.setNotificationSecret({ kind: 'telegramToken', value: '123456:TELEGRAM-TOKEN' });
    expect(settings.notifications.telegram.tokenSet).toBe(true);
    await api.updateSettings({ patch: { notifications: { telegram: { enabled: true, chatId: '42' } } } });
    const everything = JSON.stringify([await api.listCredentials({}), await api.getSettings({}), readFileSync(join(h.dataDir, 'settings.json'), 'utf8')]);
    for (const secret of ['AKEY-0123456789-WXYZ', 'SECRET-abcdefghijklmnop', '123456:TELEGRAM-TOKEN']) expect(everything).not.toContain(secret);
    await expect(api.setCredentials({ account: 'main', mode: 'paper', apiKey: 'x', secret: 'y' })).rejects.toMatchObject({ code: 'paper_needs_no_keys' });
  });

  it('counts alerts, rejections and ack latencies in the health figures', async () => {
    const h = await engine();
    expect((await h.post(alert({ id: 'h1' }))).status).toBe(200);
    expect((await h.post(alert({ id: 'h2', secret: 'wrong' }))).status).toBe(401);
    // The answers' times come from the intake's thread a moment after the answers themselves.
    await expect.poll(async () => (await h.engine.api.getHealth({})).hour.webhookAckMs?.count, { timeout: 2000 }).toBe(2);
    const health = await h.engine.api.getHealth({});
    expect(health.hour).toMatchObject({ alerts: 2, rejected: 1, errorRate: 0.5 });
    expect(health.hour.webhookAckMs?.count).toBe(2);
    expect(health.day.alerts).toBe(2);
  });

  it('replays fills into a P&L curve that agrees with the position ledger', async () => {
    const h = await engine();
    const api = h.engine.api;
    const run = async (body: Record<string, unknown>) => {
      const r = await h.post(body);
      const id = (r.body as { alertId: string }).alertId;
      await expect.poll(async () => (await api.getAlert({ id }))?.status, { timeout: 5000 }).toBe('executed');
    };
    await run(alert({ id: 'p1' }));
    await run(alert({ id: 'p2', quantity: '1', price: '160' }));
    await run(alert({ id: 'p3', action: 'close', quantity: undefined, price: '170' }));
    const [pos] = await api.getPositions({ includeFlat: true, strategy: 'c1' });
    const pnl = await api.getPnlHistory({ strategy: 'c1' });
    expect(pnl.fills).toHaveLength(3);
    expect(pos?.qty).toBe(0);
    expect(pnl.points.at(-1)!.value).toBeCloseTo(pos!.realizedPnl - pos!.fees, 6);
    expect(pnl.points.at(-1)!.value).toBeGreaterThan(0);
    expect(await api.listOrders({ strategy: 'c1' })).toHaveLength(3);
  });

  it('refuses a test alert in live mode, and sends one locally in paper mode', async () => {
    const h = await engine();
    const api = h.engine.api;
    await api.saveStrategy({ strategy: { name: 'c1', symbol: 'BINANCE:SOLUSDT', quantity: '1' } });
    const sent = await api.sendTestAlert({ strategy: 'c1', via: 'local', price: '150' });
    expect(sent).toMatchObject({ via: 'local', httpStatus: 200 });
    expect((await api.getAlert({ id: sent.alertId! }))?.strategy).toBe('c1');
    await expect(api.sendTestAlert({ strategy: 'c1', via: 'public' })).rejects.toMatchObject({ code: 'no_public_url' });
    await api.updateSettings({ patch: { mode: 'live' }, confirmLive: true });
    await expect(api.sendTestAlert({ strategy: 'c1', via: 'local' })).rejects.toMatchObject({ code: 'live_test_refused' });
  });
});
