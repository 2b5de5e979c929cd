/**
 * Tunnel choices through `pinebridge serve` with the real localtunnel client and the local tunnel
 * server: this install's subdomain survives a restart; a subdomain the server does not grant is
 * said loudly (status, banner) and asked for again until it is back; choosing "no tunnel" stops
 * localtunnel at once; failures are readable, coded API errors; "my own URL" must be public https.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TunnelStatusDto } from '../../shared/api.js';
import { writeSettings } from '../support/live-serve.js';
import { spawnServe, type ServeProcess } from '../support/serve-process.js';
import { tempDir } from '../support/temp-dir.js';
import { startTunnelServer } from '../support/tunnel-server.js';
import { cleanUp, cleanups, freePort } from './support.js';
import { describeTunnelFailure } from '../../main/engine/tunnel/failure-text.js';
import { registerTunnel } from '../../main/engine/tunnel/localtunnel-client.js';

afterEach(cleanUp);

const SECRET = 'tunnel-choices-webhook-secret-0123456789';

interface Answer<T> {
  status: number;
  ok: boolean;
  result?: T;
  error?: { code: string; message: string };
}

async function call<T>(p: ServeProcess, name: string, args: Record<string, unknown> = {}): Promise<Answer<T>> {
  const token = readFileSync(p.tokenFile, 'utf8').trim();
  const res = await fetch(new URL(`api/${name}`, p.controlUrl), {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(args),
  });
  return { status: res.status, ...((await res.json()) as Omit<Answer<T>, 'status'>) };
}

const tunnelStatus = async (p: ServeProcess) => (await call<TunnelStatusDto>(p, 'getTunnelStatus')).result!;

async function until<T>(what: string, check: () => Promise<T | false | undefined>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== false && v !== undefined) return v;
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function serve(dataDir: string, args: string[] = []): Promise<ServeProcess> {
  const p = await spawnServe({ dataDir, args: ['--mode', 'paper', '--log-level', 'warn', ...args], env: { PINEBRIDGE_WEBHOOK_SECRET: SECRET } });
  cleanups.push(() => p.stop().then(() => {}));
  return p;
}

const savedSubdomain = (dataDir: string): string | undefined =>
  (JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8')) as { tunnel: { subdomain?: string } }).tunnel.subdomain;

describe('tunnel choices through pinebridge serve', () => {
  it('keeps the same subdomain across restarts; a refused one raises the URL-changed notice and is asked for until it is back', async () => {
    const server = await startTunnelServer({});
    cleanups.push(() => server.close());
    const dir = tempDir();
    cleanups.push(() => dir.cleanup());
    writeSettings(dir.path, { tunnel: { provider: 'localtunnel', host: server.url, probeIntervalSec: 3600, reclaimIntervalSec: 0.3 } });

    const first = await serve(dir.path);
    const s1 = await until('online', async () => ((await tunnelStatus(first)).state === 'online' ? tunnelStatus(first) : false));
    const sub = savedSubdomain(dir.path);
    expect(sub).toMatch(/^pb-[a-z2-7]{20}$/);
    expect(s1.publicUrl).toBe(server.publicUrlFor(sub!));
    expect(s1.subdomainRefused ?? null).toBeNull();
    expect(server.registrations[0]).toMatchObject({ requested: sub, id: sub });
    // Reachable through the tunnel, and the banner says where TradingView posts.
    expect((await fetch(`${s1.publicUrl}/healthz`)).status).toBe(200);
    await until('public URL printed', async () => first.output().includes(`TradingView:   ${s1.publicUrl}/webhook`));
    await first.stop();
    await until('the server forgot the first run', async () => !server.clientIds().includes(sub!));

    const second = await serve(dir.path);
    const s2 = await until('online again', async () => ((await tunnelStatus(second)).state === 'online' ? tunnelStatus(second) : false));
    expect(s2.publicUrl).toBe(s1.publicUrl);
    expect(savedSubdomain(dir.path)).toBe(sub);
    await second.stop();
    await until('the server forgot the second run', async () => !server.clientIds().includes(sub!));

    // The server hands out another id: the URL changed, and Pinebridge says so.
    server.honorSubdomain = false;
    const third = await serve(dir.path);
    const s3 = await until('refused', async () => {
      const s = await tunnelStatus(third);
      return s.state === 'online' && s.subdomainRefused ? s : false;
    });
    expect(s3.subdomainRefused).toBe(sub);
    expect(s3.publicUrl).not.toBe(s1.publicUrl);
    await until('URL-changed line', async () => third.output().includes(`Your webhook URL changed: update your TradingView alerts. TradingView: ${s3.publicUrl}/webhook`));
    expect(third.output()).toMatch(/did not grant our subdomain/);
    // It keeps asking for the saved one (every reclaimIntervalSec) and takes it once granted.
    const asked = server.registrations.filter((r) => r.requested === sub).length;
    await until('asked again', async () => server.registrations.filter((r) => r.requested === sub).length > asked + 1);
    server.honorSubdomain = true;
    const back = await until('back on the saved subdomain', async () => {
      const s = await tunnelStatus(third);
      return s.publicUrl === s1.publicUrl && !s.subdomainRefused && s.state === 'online' ? s : false;
    });
    expect((await fetch(`${back.publicUrl}/healthz`)).status).toBe(200);
    expect(savedSubdomain(dir.path)).toBe(sub);
  }, 90_000);

  it('choosing no tunnel stops localtunnel at once; a failure is one readable sentence and a coded 400', async () => {
    const server = await startTunnelServer({});
    cleanups.push(() => server.close());
    server.failRegistrations(503);
    const dir = tempDir();
    cleanups.push(() => dir.cleanup());
    writeSettings(dir.path, { tunnel: { provider: 'localtunnel', host: server.url, probeIntervalSec: 3600 } });
    const p = await serve(dir.path, ['--tunnel', 'localtunnel']);
    const host = new URL(server.url).host;
    const sentence = `${host} refused to open a tunnel (HTTP 503): try again later or use your own URL.`;
    await until('offline', async () => (await tunnelStatus(p)).state === 'offline');
    expect((await tunnelStatus(p)).lastError).toBe(sentence);

    const started = await call(p, 'startTunnel');
    expect(started.status).toBe(400);
    expect(started.error).toEqual({ code: 'tunnel_unreachable', message: `${sentence} (Pinebridge keeps trying in the background.)` });

    const saved = await call(p, 'updateSettings', { patch: { tunnel: { provider: 'none' } } });
    expect(saved.status).toBe(200);
    const s = await until('stopped', async () => {
      const t = await tunnelStatus(p);
      return t.state === 'stopped' ? t : false;
    });
    expect(s).toMatchObject({ provider: 'none', publicUrl: null });
    // Nothing retries any more: the server now grants tunnels, and the reconnect backoff (1-2 s,
    // then 2-4 s) would have registered one by now if localtunnel were still trying.
    server.failRegistrations(null);
    await new Promise((r) => setTimeout(r, 6000));
    expect(server.registrations).toEqual([]);
    expect(server.clientCount()).toBe(0);
  }, 60_000);

  it('refuses an own URL TradingView cannot post to (http, loopback, private), with a message', async () => {
    const dir = tempDir();
    cleanups.push(() => dir.cleanup());
    const p = await serve(dir.path);
    expect(p.output()).toContain('TradingView cannot reach this webhook');
    expect(p.output()).toContain('--tunnel localtunnel');
    for (const [url, why] of [
      ['http://127.0.0.1:8787', /must start with https:\/\//],
      ['https://127.0.0.1', /127\.0\.0\.1 is a loopback or private address/],
      ['https://192.168.1.20', /private address/],
      ['https://localhost', /only this computer or network knows/],
    ] as const) {
      const r = await call(p, 'updateSettings', { patch: { tunnel: { provider: 'manual', publicUrl: url } } });
      expect(r.status, url).toBe(400);
      expect(r.error?.code).toBe('invalid_public_url');
      expect(r.error?.message).toMatch(why);
    }
    expect((await tunnelStatus(p)).provider).toBe('none');
    // Nothing was saved.
    expect(existsSync(join(dir.path, 'settings.json'))).toBe(false);
  }, 30_000);

  it('says "cannot be reached from this computer" for a tunnel server that does not answer, instead of the socket error', async () => {
    const port = await freePort();
    const host = `http://127.0.0.1:${port}`;
    const raw = await registerTunnel(fetch, host, undefined, new AbortController().signal).then(
      () => 'registered',
      (e: Error) => e.message,
    );
    expect(raw).toMatch(/ECONNREFUSED/);
    expect(describeTunnelFailure('localtunnel', raw, { host })).toBe(
      `127.0.0.1:${port} cannot be reached from this computer: check the internet connection or use your own URL.`,
    );
    expect(describeTunnelFailure('localtunnel', 'localtunnel: cannot reach the tunnel server https://localtunnel.me: ENOTFOUND: getaddrinfo ENOTFOUND localtunnel.me', {})).toBe(
      'localtunnel.me cannot be reached from this computer: check the internet connection or use your own URL.',
    );
  });
});
