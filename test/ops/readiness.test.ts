import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../main/engine/engine.js';
import { credentialName } from '../../main/engine/core/ports.js';
import { createFileStore } from '../../main/engine/secrets/index.js';
import { startHarness, type Harness } from '../support/engine-harness.js';
import { startExchangeSimulator, type Simulator } from '../support/exchange-simulator/index.js';
import { tempDir } from '../support/temp-dir.js';
import { until } from './support.js';

const readyz = async (url: string) => {
  const res = await fetch(url + '/readyz');
  return { status: res.status, body: (await res.json()) as { status?: string; error?: { code: string; message: string } } };
};

describe('GET /readyz', () => {
  let h: Harness | null = null;
  let engine: Engine | null = null;
  let sim: Simulator | null = null;
  const dirs: { cleanup: () => void }[] = [];
  afterEach(async () => {
    await h?.close();
    await engine?.stop();
    await sim?.close();
    h = null;
    engine = null;
    sim = null;
    dirs.splice(0).forEach((d) => d.cleanup());
  });

  it('is ready once the worker runs and the paper venue answered; 503 naming the part that is not', async () => {
    h = await startHarness();
    const harness = h;
    await until(async () => (await readyz(harness.url)).status === 200, 'ready in paper mode');

    h.engine.readiness.set('venue', false, 'exchange unreachable: ECONNREFUSED');
    const venueDown = await readyz(h.url);
    expect(venueDown.status).toBe(503);
    expect(venueDown.body.error).toEqual({ code: 'not_ready', message: 'Not ready: venue: exchange unreachable: ECONNREFUSED.' });
    h.engine.readiness.set('worker', false, 'not running');
    expect((await readyz(h.url)).body.error?.message).toBe('Not ready: execution worker: not running; venue: exchange unreachable: ECONNREFUSED.');

    h.engine.readiness.set('worker', true);
    h.engine.readiness.set('venue', true);
    expect(await readyz(h.url)).toEqual({ status: 200, body: { status: 'ready' } });
    // Liveness never depended on any of it.
    expect((await fetch(h.url + '/healthz')).status).toBe(200);
  });

  it('turns 503 when the configured venue (ccxt against the simulator) becomes unreachable, and 200 when it returns', async () => {
    sim = await startExchangeSimulator();
    const dir = tempDir();
    dirs.push(dir);
    const secrets = createFileStore(dir.path);
    await secrets.set(credentialName('main', 'live', 'apiKey'), sim.apiKey);
    await secrets.set(credentialName('main', 'live', 'secret'), sim.secret);
    engine = await createEngine({
      dataDir: dir.path,
      overrides: {
        mode: 'live',
        exchange: 'binance',
        exchangeUrl: sim.url,
        webhook: { port: 0 },
        control: { port: 0 },
        readiness: { venueProbeSec: 0.2 },
        execution: { exchangeTimeoutMs: 2000 },
      },
      secrets,
      webhookSecret: 'readiness-test-secret-0123456789',
      log: { console: null, level: 'warn' },
    });
    const url = `http://127.0.0.1:${(await engine.start()).webhookPort}`;
    await until(async () => (await readyz(url)).status === 200, 'ready with the exchange up', 400);

    sim.setReachable(false);
    const down = await until(async () => {
      const r = await readyz(url);
      return r.status === 503 ? r : null;
    }, 'not ready with the exchange unreachable', 400);
    expect(down.body.error?.message).toMatch(/^Not ready: venue: /);

    sim.setReachable(true);
    const back = await until(async () => {
      const r = await readyz(url);
      return r.status === 200 ? r : null;
    }, 'ready again once the exchange answers', 400);
    expect(back.body).toEqual({ status: 'ready' });
  });

  it('answers 503 "shutting down" while the engine drains', async () => {
    h = await startHarness();
    const harness = h;
    await until(async () => (await readyz(harness.url)).status === 200, 'ready in paper mode');
    const engine = h.engine;
    const stopped = engine.stop();
    // The engine may close the listener quickly once nothing is in flight; either answer is "not ready".
    const r = await readyz(h.url).catch(() => null);
    if (r) expect(r.body.error?.message).toContain('shutting down');
    await stopped;
    expect(engine.readiness.get('journal')?.ok).toBe(false);
  });
});
