import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startExchangeSimulator, type Simulator } from '../support/exchange-simulator/index.js';
import { spawnServe, type ServeProcess } from '../support/serve-process.js';
import { tempDir } from '../support/temp-dir.js';
import { eventually, getAlert, postAlert, WEBHOOK_SECRET } from './serve-client.js';

/**
 * `pinebridge serve --mode live` against the simulator, killed with SIGKILL while an order's
 * answer is held (or while its request is still on the way), then restarted: every accepted
 * alert ends with exactly one order on the exchange, none lost, none doubled.
 */
describe('a worker killed mid-flight and restarted', () => {
  let sim: Simulator | null = null;
  let child: ServeProcess | null = null;
  let dir = tempDir('pinebridge-crash-');

  beforeEach(() => {
    dir = tempDir('pinebridge-crash-');
  });
  afterEach(async () => {
    await child?.kill9();
    await sim?.close();
    dir.cleanup();
  });

  const serve = (s: Simulator) =>
    spawnServe({
      dataDir: dir.path,
      args: ['--mode', 'live', '--exchange-url', s.url, '--json-logs'],
      env: { PINEBRIDGE_API_KEY: s.apiKey, PINEBRIDGE_API_SECRET: s.secret, PINEBRIDGE_WEBHOOK_SECRET: WEBHOOK_SECRET },
    });

  const settle = (extra: Record<string, unknown> = {}) =>
    writeFileSync(
      join(dir.path, 'settings.json'),
      JSON.stringify({ execution: { exchangeTimeoutMs: 5000, recvWindowMs: 1000, backoffMs: 20, maxBackoffMs: 100, ...extra } }),
    );

  it('with the order accepted and its answer held: recovered by clientOrderId, not sent again; queued alerts run after', async () => {
    sim = await startExchangeSimulator({ balances: { USDT: 100_000, BTC: 1 } });
    settle();
    child = await serve(sim);
    sim.injectFault({ kind: 'acceptThenTimeout', method: 'POST', path: '/api/v3/order' });
    const held = await postAlert(child, { strategy: 'c1', action: 'buy', symbol: 'BTCUSDT', quantity: '0.01', price: '65000', id: 'held' });
    // Queued behind it on the same market, not sent yet: sized from the balance, they wait for the
    // answer before them (a fixed-size market buy would be pipelined, sent without waiting).
    const queued = [
      await postAlert(child, { strategy: 'c1', action: 'buy', symbol: 'BTCUSDT', quantity: '0.1%', price: '65000', id: 'q1' }),
      await postAlert(child, { strategy: 'c2', action: 'buy', symbol: 'BTCUSDT', quantity: '0.2%', price: '65000', id: 'q2' }),
    ];
    await eventually(() => sim!.ordersByClientId(`pb${held}-0`).length === 1, 10_000, 'the held order on the exchange');
    await child.kill9();
    expect(sim.orders()).toHaveLength(1);

    child = await serve(sim);
    for (const id of [held, ...queued]) {
      const a = await eventually(async () => {
        const x = await getAlert(child!, id);
        return x && x.status !== 'accepted' && x.status !== 'executing' ? x : undefined;
      });
      expect(a.status, `${id}: ${a.reason}`).toBe('executed');
      expect(sim.ordersByClientId(`pb${id}-0`), id).toHaveLength(1);
    }
    expect(sim.orders()).toHaveLength(3);
    // The held order was found by its clientOrderId: one create request for it, ever.
    expect(sim.requests({ method: 'POST', path: '/api/v3/order' }).filter((r) => r.params.newClientOrderId === `pb${held}-0`)).toHaveLength(1);
  });

  it('with the request still on its way when killed: the late request is refused (recvWindow), the restart sends it once', async () => {
    sim = await startExchangeSimulator({ balances: { USDT: 100_000, BTC: 1 } });
    settle();
    child = await serve(sim);
    sim.injectFault({ kind: 'latency', method: 'POST', path: '/api/v3/order', ms: 1500 });
    const id = await postAlert(child, { strategy: 'c3', action: 'buy', symbol: 'BTCUSDT', quantity: '0.01', price: '65000', id: 'slow' });
    await eventually(() => sim!.requestCount('POST', '/api/v3/order') === 1, 10_000, 'the order request in flight');
    await child.kill9();

    child = await serve(sim);
    const a = await eventually(async () => {
      const x = await getAlert(child!, id);
      return x && x.status === 'executed' ? x : undefined;
    });
    expect(a.status).toBe('executed');
    expect(sim.ordersByClientId(`pb${id}-0`)).toHaveLength(1);
    const creates = sim.requests({ method: 'POST', path: '/api/v3/order' });
    expect(creates).toHaveLength(2);
    expect(creates[0]!.code).toBe(-1021);
  });
});
