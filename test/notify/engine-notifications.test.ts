/**
 * A real engine notifying through the fake Telegram / Discord APIs: rejected alerts, paper fills,
 * a channel switched on at run time, and never a token in the logs.
 */
import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../main/engine/engine.js';
import { NOTIFY_SECRET_NAMES } from '../../main/engine/secrets/names.js';
import { createFileStore } from '../../main/engine/secrets/index.js';
import { tempDir } from '../support/temp-dir.js';
import { DISCORD_TOKEN, DISCORD_URL, TOKEN, cleanUp, cleanups, fakeApi, until, type FakeApi } from './support.js';

afterEach(cleanUp);

describe('engine notifications', () => {
  async function engineWith(api: FakeApi, over: { telegram?: boolean; discord?: boolean } = {}) {
    const dir = tempDir();
    const secrets = createFileStore(dir.path);
    await secrets.set(NOTIFY_SECRET_NAMES.telegramToken, TOKEN);
    await secrets.set(NOTIFY_SECRET_NAMES.discordWebhookUrl, DISCORD_URL);
    const consoleOut = new PassThrough();
    let logged = '';
    consoleOut.on('data', (c: Buffer) => (logged += c.toString('utf8')));
    const engine: Engine = await createEngine({
      dataDir: dir.path,
      secrets,
      webhookSecret: 'engine-test-webhook-secret-0123456789',
      overrides: {
        webhook: { port: 0 },
        control: { port: 0 },
        notifications: {
          batchWindowSec: 1,
          telegram: { enabled: over.telegram ?? true, chatId: '-100777', apiBaseUrl: api.base },
          discord: { enabled: over.discord ?? false, apiBaseUrl: api.base },
        },
      },
      log: { console: consoleOut, level: 'debug', json: true },
    });
    const { webhookPort } = await engine.start();
    cleanups.push(async () => {
      await engine.stop();
      dir.cleanup();
    });
    const postBadAlert = () =>
      fetch(`http://127.0.0.1:${webhookPort}/webhook`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ secret: 'wrong-secret', strategy: 'ma-cross', action: 'buy', symbol: 'BTCUSDT', quantity: '1' }),
      });
    return { engine, dir, webhookPort, postBadAlert, logged: () => logged };
  }

  it('sends a rejected alert to Telegram and never logs the bot token, even when the API echoes it', async () => {
    const api = await fakeApi();
    // A hostile or buggy API answer that contains the token must not reach the log.
    api.respond = (r) => ({ status: 401, body: { ok: false, error_code: 401, description: `Unauthorized: ${r.url}` } });
    const { engine, postBadAlert, logged } = await engineWith(api);

    expect((await postBadAlert()).status).toBe(401);
    await api.waitFor(1);
    expect(api.requests[0]!.url).toBe(`/bot${TOKEN}/sendMessage`);
    expect(api.requests[0]!.body.chat_id).toBe('-100777');
    expect(api.requests[0]!.body.text).toMatch(/^Pinebridge · PAPER\nAlert rejected\n/);
    await until(() => logged().includes('notification not sent'));
    await engine.stop();

    const fileLog = readFileSync(engine.paths.logFile, 'utf8');
    for (const text of [logged(), fileLog, JSON.stringify(await engine.api.recentLogs({ limit: 1000 }))]) {
      expect(text).toContain('telegram notification not sent: Telegram: Unauthorized: /bot[redacted]/sendMessage');
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(TOKEN.split(':')[1]);
    }
  });

  it('tells Telegram about a paper fill, end to end through the execution worker', async () => {
    const api = await fakeApi();
    const { engine, webhookPort } = await engineWith(api);
    const res = await fetch(`http://127.0.0.1:${webhookPort}/webhook`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        secret: 'engine-test-webhook-secret-0123456789',
        strategy: 'ma-cross',
        action: 'buy',
        symbol: 'BINANCE:BTCUSDT',
        quantity: '0.01',
        order_type: 'market',
        price: '65000',
        id: 'fill-notify-1',
      }),
    });
    expect(res.status).toBe(200);
    await until(() => api.requests.some((r) => r.body.text.includes('Order filled')), 10_000);
    const text = api.requests.map((r) => r.body.text).join('\n');
    expect(text).toMatch(/Order filled\nBUY 0\.01 BTC\/USDT @ [\d.]+ \(ma-cross, PAPER\)/);
    expect(engine.settings.mode).toBe('paper');
  });

  it('picks up a channel switched on from the UI without a restart', async () => {
    const api = await fakeApi();
    api.respond = () => ({ status: 204 });
    const { engine, postBadAlert, logged } = await engineWith(api, { telegram: false, discord: false });

    await postBadAlert();
    await new Promise((r) => setTimeout(r, 1300)); // longer than the gather time
    expect(api.requests).toHaveLength(0);

    await engine.api.updateSettings({ patch: { notifications: { discord: { enabled: true } } } });
    await until(() => logged().includes('notifications go to discord'));
    await postBadAlert();
    await api.waitFor(1);
    expect(api.requests[0]!.url).toBe(`/api/webhooks/112233445566778899/${DISCORD_TOKEN}`);
    expect(api.requests[0]!.body.content).toContain('**Alert rejected**');
    expect(logged()).not.toContain(DISCORD_TOKEN);
  });
});
