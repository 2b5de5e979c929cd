/**
 * Exchange faults on one exchange through `pinebridge serve` against its simulator, as the Binance
 * reliability suite (test/reliability/exchange-faults.test.ts) has them: every transient fault
 * on order creation (lost answers with and without the order executed, 5xx, 429, clock skew,
 * latency past the timeout, accepted then never answered, the exchange's own "maybe executed"
 * codes) and on the look-ups, spot and perpetuals at once: exactly one order per alert, and no
 * re-send without a look-up by clientOrderId before it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaultHandle, FaultSpec } from '../support/exchange-simulator/index.js';
import type { ServeProcess } from '../support/serve-process.js';
import { tempDir } from '../support/temp-dir.js';
import type { ExchangeRig, SimUnderTest } from './rig.js';
import { alertFor, expectExactlyOnce, expectNoDuplicates, post, serveOn, settled, writeSuiteSettings } from './serve-rig.js';

type Fault = Omit<FaultSpec, 'method' | 'path'>;

function transientFaults(rig: ExchangeRig): [string, Fault][] {
  return [
    ['HTTP 500', { kind: 'http500' }],
    ['HTTP 500 after creating the order', { kind: 'http500', execute: true }],
    ['HTTP 503 after creating the order', { kind: 'http503', execute: true }],
    ['rate limited (429)', { kind: 'http429', retryAfterSec: 1 }],
    ['dropped connection', { kind: 'drop' }],
    ['dropped connection after creating the order', { kind: 'drop', execute: true }],
    ['clock skew', { kind: 'clockSkew' }],
    ['slower than the timeout', { kind: 'latency', ms: 1400 }],
    ['accepted, never answered', { kind: 'acceptThenTimeout' }],
    ['accepted, then the connection dies', { kind: 'acceptThenTimeout', ms: 100 }],
    ...rig.maybeExecutedCodes.map((code): [string, Fault] => [`the exchange's ${code} after creating the order`, { kind: 'exchangeError', code, execute: true }]),
  ];
}

export function faultsSuite(rig: ExchangeRig, o: { timeoutMs: number }): void {
  describe(`${rig.id}: exchange faults through pinebridge serve`, () => {
    let sim: SimUnderTest;
    let child: ServeProcess;
    const dir = tempDir(`pinebridge-${rig.id}-faults-`);

    beforeAll(async () => {
      sim = await rig.start();
      writeSuiteSettings(dir.path);
      child = await serveOn(rig, sim, dir.path);
    });
    afterAll(async () => {
      await child?.kill9();
      await sim?.close();
      dir.cleanup();
    });

    // Every fault queued at once (each takes the next two order requests, and one the next
    // look-up, whichever alerts they carry), then alerts on spot and perpetuals for all of them:
    // the waits (timeouts, the resend guard) overlap instead of adding up.
    it('each transient fault, on order creation and on the look-ups, spot and perpetuals at once: one order per alert', async () => {
      const markets = [...rig.spot, ...rig.perp];
      const faults = transientFaults(rig);
      const handles = faults.map(([name, fault]): [string, FaultHandle] => [name, sim.injectFault({ ...fault, ...rig.create, times: 2 })]);
      for (const [, fault] of faults) sim.injectFault({ ...fault, ...rig.lookup, times: 1 });
      const ids = await Promise.all(
        faults.flatMap(([name]) => markets.map(async (m): Promise<[string, string]> => [`${name} (${m.symbol})`, await post(child, alertFor(m, { strategy: `fault-${m.perp ? 'perp' : 'spot'}` }))])),
      );
      await settled(dir.path, o.timeoutMs);
      sim.clearFaults();
      expect(handles.map(([name, h]) => `${name}: ${h.applied()}`), 'faults applied to order requests').toEqual(handles.map(([name]) => `${name}: 2`));
      for (const [what, id] of ids) expectExactlyOnce(expect, rig, sim, dir.path, id, what);
      expectNoDuplicates(expect, sim, rig.id);
    }, o.timeoutMs * 2);

    it('a run of faults at once, with the exchange unreachable for a moment: each alert once', async () => {
      const markets = [...rig.spot, ...rig.perp];
      for (const [, fault] of transientFaults(rig)) sim.injectFault({ ...fault, ...rig.create, times: 1 });
      const ids = await Promise.all(Array.from({ length: 12 }, (_, i) => post(child, alertFor(markets[i % markets.length]!, { strategy: `burst-${i % 3}` }))));
      await new Promise((r) => setTimeout(r, 30));
      sim.setReachable(false);
      await new Promise((r) => setTimeout(r, 200));
      sim.setReachable(true);
      await settled(dir.path, o.timeoutMs * 2);
      sim.clearFaults();
      for (const id of ids) expectExactlyOnce(expect, rig, sim, dir.path, id, `burst ${id}`);
      expectNoDuplicates(expect, sim, rig.id);
    }, o.timeoutMs * 3);
  });
}
