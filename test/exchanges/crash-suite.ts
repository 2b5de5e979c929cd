/**
 * kill -9 on one exchange: `pinebridge serve` against the exchange's simulator is killed at
 * seeded points of alert bursts on spot and perpetuals (after N order requests reached the
 * exchange, after a delay; with slow and accepted-then-unanswered order requests, and a Bybit
 * restart that empties /v5/order/realtime), restarted on the same data dir, and finally left to
 * finish. Every acknowledged alert is executed exactly once: one filled order per alert.
 *
 * Seeded: `PINEBRIDGE_CRASH_SEED=<seed>` replays the plan.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAlerts } from '../support/journal-reader.js';
import { postWebhook } from '../support/live-serve.js';
import { seededRandom, testSeed } from '../support/seeded-random.js';
import type { ServeProcess } from '../support/serve-process.js';
import { tempDir } from '../support/temp-dir.js';
import type { ExchangeRig, SimUnderTest } from './rig.js';
import { alertFor, expectExactlyOnce, expectNoDuplicates, serveOn, settled, writeSuiteSettings } from './serve-rig.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function crashSuite(rig: ExchangeRig, o: { rounds: number; burst: number; timeoutMs: number }): void {
  const SEED = testSeed('PINEBRIDGE_CRASH_SEED', 20_261_207);
  describe(`${rig.id}: kill -9 during bursts`, () => {
    let sim: SimUnderTest;
    let child: ServeProcess | null = null;
    const dir = tempDir(`pinebridge-${rig.id}-crash-`);

    beforeAll(async () => {
      sim = await rig.start();
      writeSuiteSettings(dir.path);
    });
    afterAll(async () => {
      await child?.kill9();
      await sim?.close();
      dir.cleanup();
    });

    it('every acknowledged alert is executed exactly once, spot and perpetuals, whatever died when', async ({ onTestFailed }) => {
      const rng = seededRandom(SEED);
      const story: string[] = [`seed ${SEED}`];
      onTestFailed(() => console.error(`[${rig.id}/crash] FAILED (replay: PINEBRIDGE_CRASH_SEED=${SEED})\n  ${story.join('\n  ')}`));
      const markets = [...rig.spot, ...rig.perp];
      const accepted: string[] = [];
      const creates = () => sim.requests(rig.create).length;
      for (let round = 0; round < o.rounds; round++) {
        child = await serveOn(rig, sim, dir.path);
        const proc = child.proc;
        const latency = rng.pick([0, 20, 150]);
        const faults = [
          ...(latency ? [sim.injectFault({ kind: 'latency', ...rig.create, ms: latency, times: Infinity })] : []),
          ...(rng.chance(0.7) ? [sim.injectFault({ kind: 'acceptThenTimeout', ...rig.create, times: rng.int(1, 2) })] : []),
        ];
        const killAfter = rng.int(1, Math.max(2, Math.floor(o.burst / 2)));
        const before = creates();
        let killed = false;
        const watcher = (async () => {
          while (!killed) {
            if (creates() - before >= killAfter) {
              killed = true;
              proc.kill('SIGKILL');
            }
            await sleep(2);
          }
        })();
        const bodies = Array.from({ length: o.burst }, (_, i) => alertFor(markets[rng.int(0, markets.length - 1)]!, { strategy: `crash-${i % 3}` }));
        const answers = await Promise.all(bodies.map((b) => postWebhook(child!.webhookUrl, b).catch(() => null)));
        for (const a of answers) if (a?.status === 200 && a.json?.status === 'accepted') accepted.push(a.json.alertId!);
        const until = Date.now() + 3000;
        while (!killed && Date.now() < until) await sleep(5);
        killed = true;
        proc.kill('SIGKILL');
        await watcher;
        await child.kill9();
        for (const f of faults) f.cancel();
        // Bybit: a service restart empties /v5/order/realtime; look-ups must reach /v5/order/history.
        sim.restart?.();
        story.push(`round ${round}: kill after ${killAfter} order requests, latency ${latency} ms, ${answers.filter(Boolean).length} answered, ${creates() - before} order requests`);
        // Whatever was answered is journaled already.
        const journaled = new Set(readAlerts(dir.path).map((a) => a.id));
        for (const id of accepted) expect(journaled.has(id), `${id} answered but not journaled`).toBe(true);
      }
      child = await serveOn(rig, sim, dir.path);
      await settled(dir.path, o.timeoutMs);
      story.push(`${accepted.length} alerts answered accepted, ${sim.allOrderClientIds().length} orders`);
      // Journaled but killed before the answer went out: executed all the same (the client never knew).
      const taken = readAlerts(dir.path).filter((a) => a.status !== 'rejected' && a.status !== 'duplicate').map((a) => a.id);
      for (const id of accepted) expect(taken, `${id} answered accepted`).toContain(id);
      for (const id of taken) expectExactlyOnce(expect, rig, sim, dir.path, id, `${id} (seed ${SEED})`);
      expectNoDuplicates(expect, sim, `seed ${SEED}`);
      const ours = new Set(taken.map((id) => rig.cid(id, 0)));
      expect(sim.allOrderClientIds().filter((c) => !ours.has(c)), 'orders of no acknowledged alert').toEqual([]);
      console.info(`[${rig.id}/crash] ${story.join('; ')}`);
    }, o.timeoutMs * (o.rounds + 1));
  });
}
