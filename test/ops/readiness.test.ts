import { afterEach, describe, expect, it } from 'vitest';
import { CcxtVenue } from '../../main/engine/venues/ccxt-venue.js';
import { startHarness, type Harness } from '../support/engine-harness.js';
import { createSimulatedBinance, startExchangeSimulator, type Simulator } from '../support/exchange-simulator/index.js';
import { until } from './support.js';

const readyz = async (url: string) => {
  const res = await fetch(url + '/readyz');
  return { status: res.status, body: (await res.json()) as { status?: string; error?: { code: string; message: string } } };
};

describe('GET /readyz', () => {
  let h: Harness | null = null;
  let sim: Simulator | null = null;
  afterEach(async () => {
    await h?.close();
    await sim?.close();
    h = null;
    sim = null;
  });

  it('is 503 naming every part that is not ready, and 200 once all are', async () => {
    h = await startHarness();
    const first = await readyz(h.url);
    expect(first.status).toBe(503);
    expect(first.body.error?.code).toBe('not_ready');
    expect(first.body.error?.message).toContain('execution worker');
    expect(first.body.error?.message).toContain('venue');
    expect(first.body.error?.message).not.toContain('journal');

    h.engine.readiness.set('worker', true);
    h.engine.readiness.set('venue', false, 'exchange unreachable: ECONNREFUSED');
    const venueDown = await readyz(h.url);
    expect(venueDown.status).toBe(503);
    expect(venueDown.body.error?.message).toBe('Not ready: venue: exchange unreachable: ECONNREFUSED.');

    h.engine.readiness.set('venue', true);
    expect(await readyz(h.url)).toEqual({ status: 200, body: { status: 'ready' } });
    // Liveness never depended on any of it.
    expect((await fetch(h.url + '/healthz')).status).toBe(200);
  });

  it('turns 503 when the real venue (ccxt against the simulator) becomes unreachable, and 200 when it returns', async () => {
    sim = await startExchangeSimulator();
    const exchange = createSimulatedBinance(sim, { timeout: 1500, enableRateLimit: false });
    const venue = new CcxtVenue(exchange, { account: 'main', mode: 'live', marketsRefreshMs: 60_000, now: () => Date.now() });
    h = await startHarness();
    h.engine.readiness.set('worker', true);
    // What the engine does for its configured venue: a cheap authenticated call, repeatedly.
    h.engine.readiness.probe('venue', () => venue.fetchBalance(), { intervalMs: 100, timeoutMs: 3000 });

    await until(async () => (await readyz(h!.url)).status === 200, 'ready with the exchange up');

    sim.setReachable(false);
    const down = await until(async () => {
      const r = await readyz(h!.url);
      return r.status === 503 ? r : null;
    }, 'not ready with the exchange unreachable');
    expect(down.body.error?.message).toMatch(/^Not ready: venue: /);
    expect(h.engine.readiness.get('venue')?.ok).toBe(false);

    sim.setReachable(true);
    const back = await until(async () => {
      const r = await readyz(h!.url);
      return r.status === 200 ? r : null;
    }, 'ready again once the exchange answers');
    expect(back.body).toEqual({ status: 'ready' });
    expect(sim.requestCount('GET', '/api/v3/account')).toBeGreaterThan(1);
  });

  it('answers 503 "shutting down" while the engine drains', async () => {
    h = await startHarness();
    h.engine.readiness.set('worker', true);
    h.engine.readiness.set('venue', true);
    expect((await readyz(h.url)).status).toBe(200);
    const engine = h.engine;
    const stopped = engine.stop();
    // The engine may close the listener quickly once nothing is in flight; either answer is "not ready".
    const r = await readyz(h.url).catch(() => null);
    if (r) expect(r.body.error?.message).toContain('shutting down');
    await stopped;
    expect(engine.readiness.get('journal')?.ok).toBe(false);
  });
});
