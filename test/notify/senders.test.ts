/**
 * The Telegram and Discord senders against a local node:http server standing in for those APIs:
 * request bodies, and which failures are permanent and which are retried.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createDiscordSender, createTelegramSender, parseDiscordWebhookUrl } from '../../main/engine/notify/index.js';
import { DISCORD_TOKEN, DISCORD_URL, TOKEN, batchOf, cleanUp, fakeApi, servers } from './support.js';

afterEach(cleanUp);

describe('Telegram sender', () => {
  it('POSTs sendMessage to /bot<token>/ with the chat id and plain text', async () => {
    const api = await fakeApi();
    const sender = createTelegramSender({ token: TOKEN, chatId: '-100123', apiBaseUrl: api.base, label: () => 'Pinebridge · PAPER' });
    await sender.send(batchOf('Alert rejected', 'ma-cross buy BTCUSDT: bad quantity'));

    expect(api.requests).toHaveLength(1);
    const [r] = api.requests;
    expect(r!.method).toBe('POST');
    expect(r!.url).toBe(`/bot${TOKEN}/sendMessage`);
    expect(r!.headers['content-type']).toBe('application/json');
    expect(r!.body).toEqual({
      chat_id: '-100123',
      text: 'Pinebridge · PAPER\nAlert rejected\nma-cross buy BTCUSDT: bad quantity',
      disable_web_page_preview: true,
    });
    expect(r!.body).not.toHaveProperty('parse_mode');
  });

  it('cuts a long message to Telegram\'s 4096 characters', async () => {
    const api = await fakeApi();
    await createTelegramSender({ token: TOKEN, chatId: '1', apiBaseUrl: api.base }).send(batchOf('Error', 'x'.repeat(10_000)));
    expect(api.requests[0]!.body.text).toHaveLength(4096);
    expect(api.requests[0]!.body.text.endsWith('…')).toBe(true);
  });

  it('turns 401 into a permanent error and 429 into a retry with the API\'s delay, without the token in the message', async () => {
    const api = await fakeApi();
    const sender = createTelegramSender({ token: TOKEN, chatId: '1', apiBaseUrl: api.base });

    api.respond = () => ({ status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } });
    const unauthorized = sender.send(batchOf('t', 'b'));
    await expect(unauthorized).rejects.toThrow(/Unauthorized \(check the bot token\)/);
    await expect(unauthorized).rejects.toMatchObject({ permanent: true, status: 401 });
    await expect(unauthorized).rejects.not.toThrow(TOKEN.slice(0, 10));

    api.respond = () => ({ status: 429, body: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 7', parameters: { retry_after: 7 } } });
    await expect(sender.send(batchOf('t', 'b'))).rejects.toMatchObject({ permanent: false, status: 429, retryAfterMs: 7000 });
  });

  it('reports an unreachable API as a transient error', async () => {
    const api = await fakeApi();
    const base = api.base;
    await api.close();
    servers.splice(servers.indexOf(api), 1);
    const p = createTelegramSender({ token: TOKEN, chatId: '1', apiBaseUrl: base, timeoutMs: 2000 }).send(batchOf('t', 'b'));
    await expect(p).rejects.toThrow(/^Telegram: /);
    await expect(p).rejects.toMatchObject({ permanent: false });
    await expect(p).rejects.not.toThrow(TOKEN.slice(0, 10));
  });
});

describe('Discord sender', () => {
  it('POSTs {content} to the webhook path on the configured base, with mentions disabled', async () => {
    const api = await fakeApi();
    api.respond = () => ({ status: 204 });
    const sender = createDiscordSender({ webhookUrl: DISCORD_URL, apiBaseUrl: api.base, label: () => 'Pinebridge · LIVE' });
    await sender.send(batchOf('Order filled', 'BUY 0.01 BTC/USDT @ 65000 @everyone'));

    expect(api.requests).toHaveLength(1);
    expect(api.requests[0]!.url).toBe(`/api/webhooks/112233445566778899/${DISCORD_TOKEN}`);
    expect(api.requests[0]!.body).toEqual({
      content: '**Pinebridge · LIVE**\n**Order filled**\nBUY 0.01 BTC/USDT @ 65000 @everyone',
      allowed_mentions: { parse: [] },
    });
  });

  it('refuses a URL that is not a Discord webhook, without echoing it', () => {
    expect(() => parseDiscordWebhookUrl('https://example.com/hook/secret-part')).toThrow(/does not look like/);
    expect(() => parseDiscordWebhookUrl('https://example.com/hook/secret-part')).not.toThrow(/secret-part/);
    expect(() => createDiscordSender({ webhookUrl: 'not a url' })).toThrow(/not a URL/);
  });

  it('treats a deleted webhook (404) as permanent and 429 as retry-after', async () => {
    const api = await fakeApi();
    const sender = createDiscordSender({ webhookUrl: DISCORD_URL, apiBaseUrl: api.base });
    api.respond = () => ({ status: 404, body: { message: 'Unknown Webhook', code: 10015 } });
    await expect(sender.send(batchOf('t', 'b'))).rejects.toMatchObject({ permanent: true, status: 404 });
    api.respond = () => ({ status: 429, body: { message: 'You are being rate limited.', retry_after: 1.5, global: false } });
    await expect(sender.send(batchOf('t', 'b'))).rejects.toMatchObject({ permanent: false, retryAfterMs: 1500 });
  });
});
