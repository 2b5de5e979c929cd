/**
 * The engine's one tunnel, as both hosts now get it: built from settings once the webhook
 * listener has its port, started in the background, shown by getTunnelStatus, /metrics and
 * engine.tunnel() alike, and stopped with the engine. A real engine and a real manual tunnel
 * whose self-probe goes to the engine's own listener.
 */
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/engine-harness.js';
import { metric } from '../ops/support.js';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

async function until(cond: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("the engine's tunnel", () => {
  it('is built from settings at start, and the status, the metrics and engine.tunnel() show the same one', async () => {
    const port = await freePort();
    h = await startHarness({ overrides: { webhook: { port }, tunnel: { provider: 'manual', publicUrl: `http://127.0.0.1:${port}`, probeIntervalSec: 5 } } });
    const engine = h.engine;
    await until(async () => (await engine.api.getTunnelStatus({})).state === 'online');
    const tunnel = engine.tunnel();
    expect(tunnel?.status()).toMatchObject({ provider: 'manual', state: 'online', publicUrl: `http://127.0.0.1:${port}` });
    expect((await engine.api.getWebhookInfo({})).publicUrl).toBe(`http://127.0.0.1:${port}/webhook`);
    const scrape = (await engine.metrics.render()).body;
    expect(metric(scrape, 'pinebridge_tunnel_state', { provider: 'manual', state: 'online' })).toBe(1);
    expect(metric(scrape, 'pinebridge_tunnel_state', { provider: 'manual', state: 'offline' })).toBe(0);

    await h.close();
    h = null;
    expect(tunnel?.status().state).toBe('stopped');
  });
});
