/**
 * Shared setup for the tunnel tests: a tiny node:http server standing in for the webhook listener,
 * the protocol-compatible localtunnel server (test/support/tunnel-server.ts), and cleanups run
 * after each test.
 */
import http from 'node:http';
import net from 'node:net';
import { expect } from 'vitest';
import type { Tunnel, TunnelStatus } from '../../main/engine/core/ports.js';
import { createLocaltunnelTunnel, type LocaltunnelTunnelOptions } from '../../main/engine/tunnel/index.js';
import { startTunnelServer, type TestTunnelServer } from '../support/tunnel-server.js';

export interface LocalListener {
  port: number;
  /** /healthz answers 200 when true, 503 when false. */
  healthy: boolean;
  webhooks: Array<{ body: string; headers: http.IncomingHttpHeaders }>;
  close(): Promise<void>;
}

export async function startLocalListener(): Promise<LocalListener> {
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

export async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', () => resolve()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

export async function waitFor(what: string, cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const cleanups: Array<() => Promise<void> | void> = [];

/** Runs the cleanups, last first; each test file runs it in afterEach. */
export async function cleanUp(): Promise<void> {
  for (const fn of cleanups.splice(0).reverse()) await fn();
}

export async function setup(serverOpts: Parameters<typeof startTunnelServer>[0] = {}) {
  const server = await startTunnelServer({ graceMs: 200, ...serverOpts });
  cleanups.push(() => server.close());
  const local = await startLocalListener();
  cleanups.push(() => local.close());
  return { server, local };
}

export function makeTunnel(over: Partial<LocaltunnelTunnelOptions> & { localPort: number; host: string }): { tunnel: Tunnel; changes: Array<[TunnelStatus, TunnelStatus]> } {
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

export function idOf(server: TestTunnelServer, url: string | null): string {
  const prefix = `${server.url}/t/`;
  expect(url?.startsWith(prefix)).toBe(true);
  return (url ?? '').slice(prefix.length);
}
