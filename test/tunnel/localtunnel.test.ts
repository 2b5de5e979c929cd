/**
 * The localtunnel provider against the real `localtunnel` client and a protocol-compatible server
 * (test/support/tunnel-server.ts): going online, self-probes, reconnects, URL changes, degraded
 * states, start failures and stop.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { isUrlChange } from '../../main/engine/tunnel/index.js';
import { startTunnelServer } from '../support/tunnel-server.js';
import { cleanUp, cleanups, freePort, idOf, makeTunnel, setup, startLocalListener, waitFor } from './support.js';

afterEach(cleanUp);

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
