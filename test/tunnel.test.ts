/**
 * Tunnel providers against the real `localtunnel` client and a protocol-compatible server
 * (test/support/tunnel-server.ts). A tiny node:http server stands in for the webhook listener.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import ts from 'typescript';
import { afterEach, describe, expect, it } from 'vitest';
import type { Tunnel, TunnelStatus } from '../main/engine/ports.js';
import {
  createLocaltunnelTunnel,
  createManualTunnel,
  createTunnel,
  isUrlChange,
  normalizePublicUrl,
  type LocaltunnelTunnelOptions,
  type TunnelLogger,
} from '../main/engine/tunnel/index.js';
import { startTunnelServer, type TestTunnelServer } from './support/tunnel-server.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

// --- helpers -----------------------------------------------------------------------------------------

interface LocalListener {
  port: number;
  /** /healthz answers 200 when true, 503 when false. */
  healthy: boolean;
  webhooks: Array<{ body: string; headers: http.IncomingHttpHeaders }>;
  close(): Promise<void>;
}

async function startLocalListener(): Promise<LocalListener> {
  const state: Omit<LocalListener, 'port' | 'close'> = { healthy: true, webhooks: [] };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'GET' && req.url === '/healthz') {
        res.writeHead(state.healthy ? 200 : 503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: state.healthy }));
      } else if (req.method === 'POST' && req.url === '/webhook') {
        state.webhooks.push({ body: Buffer.concat(chunks).toString('utf8'), headers: req.headers });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: 'accepted', alertId: 'a1' }));
      } else {
        res.writeHead(404).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as net.AddressInfo).port;
  return Object.assign(state, {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  });
}

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', () => resolve()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

async function waitFor(what: string, cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function setup(serverOpts: Parameters<typeof startTunnelServer>[0] = {}) {
  const server = await startTunnelServer({ graceMs: 200, ...serverOpts });
  cleanups.push(() => server.close());
  const local = await startLocalListener();
  cleanups.push(() => local.close());
  return { server, local };
}

function makeTunnel(over: Partial<LocaltunnelTunnelOptions> & { localPort: number; host: string }): { tunnel: Tunnel; changes: Array<[TunnelStatus, TunnelStatus]> } {
  const tunnel = createLocaltunnelTunnel({
    startTimeoutMs: 2000,
    probeIntervalMs: 100,
    probeTimeoutMs: 1000,
    backoff: { initialMs: 50, maxMs: 200 },
    ...over,
  });
  const changes: Array<[TunnelStatus, TunnelStatus]> = [];
  tunnel.onChange((s, p) => changes.push([s, p]));
  cleanups.push(() => tunnel.stop());
  return { tunnel, changes };
}

function idOf(server: TestTunnelServer, url: string | null): string {
  const prefix = `${server.url}/t/`;
  expect(url?.startsWith(prefix)).toBe(true);
  return (url ?? '').slice(prefix.length);
}

// --- localtunnel provider ----------------------------------------------------------------------------

describe('localtunnel tunnel', () => {
  it('goes online and a webhook POST through the public URL reaches the local listener', async () => {
    const { server, local } = await setup();
    const { tunnel, changes } = makeTunnel({ localPort: local.port, host: server.url });
    expect(tunnel.status()).toMatchObject({ provider: 'localtunnel', state: 'stopped', publicUrl: null });

    await tunnel.start();
    const s = tunnel.status();
    expect(s.state).toBe('online');
    expect(s.lastError).toBeNull();
    const id = idOf(server, s.publicUrl);
    expect(server.registrations).toEqual([expect.objectContaining({ requested: null, id })]);
    expect(server.connectedSockets(id)).toBeGreaterThan(0);
    expect(changes.map(([st]) => st.state)).toEqual(['starting', 'online']);

    const res = await fetch(`${s.publicUrl}/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '52.89.214.238' },
      body: JSON.stringify({ action: 'buy', symbol: 'BINANCE:BTCUSDT' }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'accepted', alertId: 'a1' });
    expect(local.webhooks).toHaveLength(1);
    expect(JSON.parse(local.webhooks[0]?.body ?? '')).toEqual({ action: 'buy', symbol: 'BINANCE:BTCUSDT' });
    // The server appends the requester to x-forwarded-for. (Host is not asserted: the client
    // rewrites it to 127.0.0.1 only for the first request on each tunnel socket.)
    expect(local.webhooks[0]?.headers['x-forwarded-for']).toBe('52.89.214.238, 127.0.0.1');
  });

  it('self-probes /healthz through the public URL on its interval and on demand, recording the round trip', async () => {
    const { server, local } = await setup();
    const { tunnel } = makeTunnel({ localPort: local.port, host: server.url, probeIntervalMs: 100 });
    const before = Date.now();
    await tunnel.start();
    const first = tunnel.status();
    expect(first.lastProbeMs).toBeGreaterThan(0);
    expect(first.lastProbeAt).toBeGreaterThanOrEqual(before);

    await waitFor('3 periodic probes', () => server.requests.filter((r) => r.path === '/healthz' && r.status === 200).length >= 4);
    const ms = await tunnel.probe();
    expect(ms).toBeGreaterThan(0);
    expect(ms).toBeLessThan(1000);
    const after = tunnel.status();
    expect(after.lastProbeMs).toBe(ms);
    expect(after.lastProbeAt).toBeGreaterThan(first.lastProbeAt ?? Infinity);
  });

  it('asks for the configured subdomain', async () => {
    const { server, local } = await setup();
    const { tunnel } = makeTunnel({ localPort: local.port, host: server.url, subdomain: 'pinebridge-test' });
    await tunnel.start();
    expect(tunnel.status().publicUrl).toBe(`${server.url}/t/pinebridge-test`);
    expect(server.registrations[0]).toMatchObject({ requested: 'pinebridge-test', id: 'pinebridge-test' });
  });

  it('goes offline when the server goes away and back online with the same URL when it returns', async () => {
    const { server, local } = await setup();
    const { tunnel, changes } = makeTunnel({ localPort: local.port, host: server.url });
    await tunnel.start();
    const url = tunnel.status().publicUrl;
    const id = idOf(server, url);

    await server.stop();
    await waitFor('offline', () => tunnel.status().state === 'offline');
    expect(tunnel.status().lastError).toMatch(/refused|cannot reach/);
    expect(tunnel.status().publicUrl).toBe(url); // last known URL kept while reconnecting
    await expect(tunnel.probe()).rejects.toThrow(/offline/);

    await server.restart(); // same port
    await waitFor('online again', () => tunnel.status().state === 'online');
    expect(tunnel.status().publicUrl).toBe(url);
    expect(server.registrations.at(-1)).toMatchObject({ requested: id, id });
    expect(changes.some(([s, p]) => isUrlChange(s, p))).toBe(false);
    const res = await fetch(`${url}/webhook`, { method: 'POST', body: '{"action":"sell"}' });
    expect(res.status).toBe(200);
    expect(local.webhooks.at(-1)?.body).toBe('{"action":"sell"}');
  });

  it('signals a URL change when the server hands out a new id after a reconnect', async () => {
    const { server, local } = await setup();
    const { tunnel, changes } = makeTunnel({ localPort: local.port, host: server.url });
    await tunnel.start();
    const oldUrl = tunnel.status().publicUrl;

    server.honorSubdomain = false;
    await server.stop();
    await server.restart();
    await waitFor('online with a new URL', () => tunnel.status().state === 'online' && tunnel.status().publicUrl !== oldUrl);

    const urlChanges = changes.filter(([s, p]) => isUrlChange(s, p));
    expect(urlChanges).toHaveLength(1);
    const [status, previous] = urlChanges[0] ?? [];
    expect(previous?.publicUrl).toBe(oldUrl);
    expect(status?.publicUrl).toBe(tunnel.status().publicUrl);
    idOf(server, status?.publicUrl ?? null);
    expect((await fetch(`${status?.publicUrl}/healthz`)).status).toBe(200);
  });

  it('is degraded while probes through the tunnel fail, reconnects when the local listener is fine, recovers', async () => {
    const { server, local } = await setup();
    const { tunnel } = makeTunnel({ localPort: local.port, host: server.url, reconnectAfterProbeFailures: 2 });
    await tunnel.start();
    const url = tunnel.status().publicUrl;

    server.failTunnelRequests(502);
    await waitFor('degraded', () => tunnel.status().state === 'degraded');
    expect(tunnel.status().lastError).toMatch(/healthz answered HTTP 502/);
    expect(tunnel.status().lastProbeMs).toBeNull();
    // Public probe failing while 127.0.0.1 answers: the tunnel is rebuilt (same id asked for again).
    await waitFor('a re-registration', () => server.registrations.length >= 2);
    expect(server.registrations[1]?.requested).toBe(idOf(server, url));

    server.failTunnelRequests(null);
    await waitFor('online', () => tunnel.status().state === 'online');
    expect(tunnel.status().lastError).toBeNull();
  });

  it('stays degraded without reconnecting when the webhook listener itself fails /healthz', async () => {
    const { server, local } = await setup();
    const { tunnel } = makeTunnel({ localPort: local.port, host: server.url, reconnectAfterProbeFailures: 2 });
    await tunnel.start();

    local.healthy = false;
    await waitFor('local diagnosis', () => /does not answer locally either/.test(tunnel.status().lastError ?? ''));
    expect(tunnel.status().state).toBe('degraded');
    expect(tunnel.status().lastError).toMatch(/HTTP 503/);
    expect(server.registrations).toHaveLength(1);

    local.healthy = true;
    await waitFor('online', () => tunnel.status().state === 'online');
  });

  it('rejects start after startTimeoutMs when the server does not answer, then keeps retrying', async () => {
    const { server, local } = await setup();
    server.failRegistrations('hang');
    const { tunnel } = makeTunnel({ localPort: local.port, host: server.url, startTimeoutMs: 300 });

    const t0 = Date.now();
    await expect(tunnel.start()).rejects.toThrow(`no answer from the tunnel server ${server.url} within 300 ms`);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(tunnel.status()).toMatchObject({ state: 'offline', publicUrl: null });
    expect(tunnel.status().lastError).toMatch(/within 300 ms/);

    server.failRegistrations(null);
    await waitFor('online after the server answers', () => tunnel.status().state === 'online');
  });

  it('fails fast with a clear error when nothing listens at the server address, and comes up once it does', async () => {
    const port = await freePort();
    const local = await startLocalListener();
    cleanups.push(() => local.close());
    const { tunnel } = makeTunnel({ localPort: local.port, host: `http://127.0.0.1:${port}` });

    await expect(tunnel.start()).rejects.toThrow(/cannot reach the tunnel server .*ECONNREFUSED/);
    expect(tunnel.status().state).toBe('offline');

    const server = await startTunnelServer({ port });
    cleanups.push(() => server.close());
    await waitFor('online', () => tunnel.status().state === 'online', 8000);
  });

  it('reports a registration refused by the server', async () => {
    const { server, local } = await setup();
    server.failRegistrations(503);
    const { tunnel } = makeTunnel({ localPort: local.port, host: server.url });
    await expect(tunnel.start()).rejects.toThrow(/refused the tunnel \(HTTP 503\): simulated registration failure/);
  });

  it('stop() during a pending start rejects it and stops for good', async () => {
    const { server, local } = await setup();
    server.failRegistrations('hang');
    const { tunnel } = makeTunnel({ localPort: local.port, host: server.url, startTimeoutMs: 5000 });
    const started = tunnel.start();
    await new Promise((r) => setTimeout(r, 50));
    await tunnel.stop();
    await expect(started).rejects.toThrow(/stopped before the tunnel came up/);
    server.failRegistrations(null);
    await new Promise((r) => setTimeout(r, 400));
    expect(tunnel.status()).toMatchObject({ state: 'stopped', publicUrl: null });
    expect(server.registrations).toHaveLength(0);
  });

  it('stop() closes the client: the server loses its sockets and forgets it', async () => {
    const { server, local } = await setup();
    const { tunnel, changes } = makeTunnel({ localPort: local.port, host: server.url });
    await tunnel.start();
    expect(server.clientCount()).toBe(1);
    await tunnel.stop();
    expect(tunnel.status()).toMatchObject({ state: 'stopped', publicUrl: null });
    expect(changes.at(-1)?.[0].state).toBe('stopped');
    await waitFor('server forgot the client', () => server.clientCount() === 0, 3000);
    await expect(tunnel.probe()).rejects.toThrow(/stopped/);
  });

  it('a throwing onChange listener does not break the tunnel', async () => {
    const { server, local } = await setup();
    const { tunnel } = makeTunnel({ localPort: local.port, host: server.url });
    const seen: string[] = [];
    tunnel.onChange(() => {
      throw new Error('listener bug');
    });
    const unsubscribe = tunnel.onChange((s) => seen.push(s.state));
    await tunnel.start();
    expect(tunnel.status().state).toBe('online');
    expect(seen).toEqual(['starting', 'online']);
    unsubscribe();
    await tunnel.stop();
    expect(seen).toEqual(['starting', 'online']);
  });
});

// --- nothing left running ------------------------------------------------------------------------------

describe('stop() leaves no timers or sockets', () => {
  it('a process that starts and stops tunnels exits on its own', async () => {
    const server = await startTunnelServer({ graceMs: 200 });
    cleanups.push(() => server.close());
    const deadPort = await freePort();

    // Run the tunnel modules (transpiled as they are) in a child process that has nothing else to do.
    const dir = join(ROOT, 'node_modules', '.cache', `tunnel-exit-test-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const srcDir = join(ROOT, 'main', 'engine', 'tunnel');
    for (const f of readdirSync(srcDir).filter((n) => n.endsWith('.ts'))) {
      const out = ts.transpileModule(readFileSync(join(srcDir, f), 'utf8'), {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
        fileName: f,
      });
      writeFileSync(join(dir, f.replace(/\.ts$/, '.js')), out.outputText);
    }
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
    writeFileSync(
      join(dir, 'child.js'),
      `
import http from 'node:http';
import { createLocaltunnelTunnel, createManualTunnel } from './index.js';
const [host, deadPort] = process.argv.slice(2);
const local = http.createServer((req, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"ok":true}'); });
await new Promise((r) => local.listen(0, '127.0.0.1', r));
const port = local.address().port;
const out = {};
// 1. online, probing every 50 ms, reconnect timers armed by nothing
const t = createLocaltunnelTunnel({ localPort: port, host, probeIntervalMs: 50, backoff: { initialMs: 20000, maxMs: 20000 } });
await t.start();
await t.probe();
await new Promise((r) => setTimeout(r, 150));
out.online = t.status().state;
await t.stop();
// 2. first attempt failed, a 20 s reconnect pending
const u = createLocaltunnelTunnel({ localPort: port, host: 'http://127.0.0.1:' + deadPort, backoff: { initialMs: 20000, maxMs: 20000 } });
out.failed = await u.start().then(() => 'resolved', (e) => e.message);
await u.stop();
// 3. manual, probing every 20 s
const m = createManualTunnel({ publicUrl: 'http://127.0.0.1:' + port, probeIntervalMs: 20000 });
await m.start();
out.manual = m.status().state;
await m.stop();
local.close();
console.log(JSON.stringify(out));
`,
    );

    const t0 = Date.now();
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string; ms: number }>((resolve) => {
      const child = spawn(process.execPath, [join(dir, 'child.js'), server.url, String(deadPort)], { cwd: dir });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const killer = setTimeout(() => child.kill('SIGKILL'), 8000);
      child.on('exit', (code) => {
        clearTimeout(killer);
        resolve({ code, stdout, stderr, ms: Date.now() - t0 });
      });
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      online: 'online',
      failed: expect.stringMatching(/cannot reach the tunnel server .*ECONNREFUSED/),
      manual: 'online',
    });
    expect(result.ms).toBeLessThan(5000);
  });
});

// --- manual provider -----------------------------------------------------------------------------------

describe('manual tunnel', () => {
  it('is online when the URL answers /healthz, degraded when it stops, online again after', async () => {
    const local = await startLocalListener();
    cleanups.push(() => local.close());
    const tunnel = createManualTunnel({ publicUrl: `http://127.0.0.1:${local.port}/`, probeIntervalMs: 100, probeTimeoutMs: 1000 });
    cleanups.push(() => tunnel.stop());
    const states: string[] = [];
    tunnel.onChange((s) => states.push(s.state));

    await tunnel.start();
    expect(tunnel.status()).toMatchObject({ provider: 'manual', state: 'online', publicUrl: `http://127.0.0.1:${local.port}`, lastError: null });
    expect(tunnel.status().lastProbeMs).toBeGreaterThan(0);

    local.healthy = false;
    await waitFor('degraded', () => tunnel.status().state === 'degraded');
    expect(tunnel.status().lastError).toMatch(/answered HTTP 503/);
    local.healthy = true;
    await waitFor('online', () => tunnel.status().state === 'online');
    expect(await tunnel.probe()).toBeGreaterThan(0);

    await tunnel.stop();
    expect(states).toEqual(['starting', 'online', 'degraded', 'online', 'stopped']);
    await expect(tunnel.probe()).rejects.toThrow(/stopped/);
  });

  it('is degraded (start still resolves) when the URL is unreachable', async () => {
    const port = await freePort();
    const tunnel = createManualTunnel({ publicUrl: `http://localhost:${port}`, probeIntervalMs: 60_000 });
    cleanups.push(() => tunnel.stop());
    await tunnel.start();
    expect(tunnel.status().state).toBe('degraded');
    expect(tunnel.status().lastError).toMatch(/ECONNREFUSED/);
    await expect(tunnel.probe()).rejects.toThrow(/healthz: .*ECONNREFUSED/);
  });

  it('validates the URL', () => {
    expect(() => createManualTunnel({ publicUrl: 'http://hooks.example.com' })).toThrow(/must use https:\/\//);
    expect(() => createManualTunnel({ publicUrl: 'hooks.example.com' })).toThrow(/is not a URL/);
    expect(() => createManualTunnel({ publicUrl: '' })).toThrow(/empty/);
    expect(() => createManualTunnel({ publicUrl: 'ftp://hooks.example.com' })).toThrow(/https:\/\//);
    expect(() => createManualTunnel({ publicUrl: 'https://hooks.example.com:8443' })).toThrow(/ports 80 and 443/);
    expect(() => createManualTunnel({ publicUrl: 'https://hooks.example.com/?a=1' })).toThrow(/query/);
    expect(normalizePublicUrl('https://hooks.example.com/')).toBe('https://hooks.example.com');
    expect(normalizePublicUrl(' https://hooks.example.com:443/pb/webhook/ ')).toBe('https://hooks.example.com/pb');
    expect(normalizePublicUrl('http://127.0.0.1:8787')).toBe('http://127.0.0.1:8787');
  });
});

describe('createTunnel', () => {
  it('picks the provider from the config', async () => {
    const logger: TunnelLogger = pino({ level: 'silent' }); // a pino logger fits
    expect(createTunnel({ provider: 'none' })).toBeNull();
    expect(() => createTunnel({ provider: 'manual' })).toThrow(/needs tunnel.publicUrl/);
    expect(() => createTunnel({ provider: 'localtunnel' })).toThrow(/localPort/);
    const lt = createTunnel({ provider: 'localtunnel', localPort: 8787, probeIntervalSec: 30, logger });
    expect(lt?.status()).toEqual({ provider: 'localtunnel', state: 'stopped', publicUrl: null, lastProbeMs: null, lastProbeAt: null, lastError: null });
    const manual = createTunnel({ provider: 'manual', publicUrl: 'https://hooks.example.com', logger });
    expect(manual?.status()).toMatchObject({ provider: 'manual', state: 'stopped' });
    await lt?.stop();
    await manual?.stop();
  });
});
