/**
 * The control listener reads nothing to a request without the token, or from another origin —
 * checked over plain HTTP and from a real Chromium page on a foreign origin.
 */
import { request } from 'node:http';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/browser.js';
import { startServe, type ServeProcess } from './support/serve-process.js';

let serve: ServeProcess;
let browser: Browser;

beforeAll(async () => {
  [serve, browser] = await Promise.all([startServe(), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
});

/** node:http, because fetch does not let a caller set Host. */
function rawPost(url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const auth = () => ({ Authorization: `Bearer ${serve.token}` });

describe('control listener access', () => {
  it('answers the right token from its own origin (the baseline the refusals are measured against)', async () => {
    const res = await fetch(`${serve.controlUrl}/api/getStatus`, { method: 'POST', headers: { ...auth(), Origin: serve.controlUrl } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { result: { mode: string } }).result.mode).toBe('paper');
  });

  it('refuses commands and the event stream without the token, with no data in the answer', async () => {
    for (const [path, init] of [
      ['/api/getStatus', { method: 'POST' }],
      ['/api/getWebhookInfo', { method: 'POST' }],
      ['/api/events', {}],
      ['/api/events?token=wrong-token-0123456789', {}],
    ] as const) {
      const res = await fetch(serve.controlUrl + path, init);
      expect(res.status, path).toBe(401);
      const text = await res.text();
      expect(text).not.toContain(serve.webhookSecret());
      expect(text).not.toContain('"mode"');
    }
  });

  it('refuses a foreign Origin and a foreign Host even with the right token', async () => {
    const origin = await fetch(`${serve.controlUrl}/api/getWebhookInfo`, { method: 'POST', headers: { ...auth(), Origin: 'https://evil.example' } });
    expect(origin.status).toBe(403);
    expect(await origin.text()).not.toContain(serve.webhookSecret());
    // DNS rebinding: a name that resolves to 127.0.0.1 arrives with its own Host header.
    const port = new URL(serve.controlUrl).port;
    const host = await rawPost(`${serve.controlUrl}/api/getWebhookInfo`, { ...auth(), Host: `evil.example:${port}` });
    expect(host.status).toBe(403);
    expect(host.body).not.toContain(serve.webhookSecret());
  });

  it('serves the UI with a strict Content-Security-Policy', async () => {
    const res = await fetch(`${serve.controlUrl}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await res.text()).toContain('<div id="root">');
  });

  it('gives a page on another origin nothing, even when it knows the token', async () => {
    const page = await browser.newPage();
    // Another origin on this machine: the webhook listener (a different port).
    await page.goto(new URL('/healthz', serve.webhookUrl).toString());
    const attempts = await page.evaluate(
      async ({ url, token }) => {
        const tries: Record<string, string> = {};
        const one = async (name: string, init: RequestInit) => {
          try {
            const r = await fetch(url, init);
            tries[name] = `read ${r.status}: ${await r.text()}`;
          } catch (e) {
            tries[name] = `blocked: ${(e as Error).name}`;
          }
        };
        await one('with token', { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: '{}' });
        await one('simple post', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: '{}' });
        await one('no-cors', { method: 'POST', mode: 'no-cors', body: '{}' });
        return tries;
      },
      { url: `${serve.controlUrl}/api/getWebhookInfo`, token: serve.token },
    );
    for (const [name, outcome] of Object.entries(attempts)) {
      expect(outcome, name).not.toContain(serve.webhookSecret());
      expect(outcome, name).not.toMatch(/^read 200/);
    }
    expect(attempts['with token']).toMatch(/^blocked/);
    await page.close();
  });
});
