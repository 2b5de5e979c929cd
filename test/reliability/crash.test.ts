/**
 * Reliability: crash. `pinebridge serve --mode live` against the exchange simulator is killed with
 * SIGKILL at random points of alert bursts (after N answers, after N order requests reached the
 * exchange, after a delay; with slow and unanswered order requests), restarted on the same data
 * dir each time, and finally left to finish. Every acknowledged alert must be journaled once and
 * executed exactly once, and the exchange must hold exactly one order per alert: none lost, none
 * doubled, whatever died when.
 *
 * Seeded: the seed is printed; `PINEBRIDGE_CRASH_SEED=<seed>` replays the same plan.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExchangeSimulator, type FaultHandle, type Simulator } from '../support/exchange-simulator/index.js';
import { readAlerts, readIntents, withJournal } from '../support/journal-reader.js';
import { FAST_EXECUTION, NO_RISK_LIMITS, postWebhook, spawnLive, writeSettings } from '../support/live-serve.js';
import { seededRandom, testSeed } from '../support/seeded-random.js';
import type { ServeProcess } from '../support/serve-process.js';
import { tempDir } from '../support/temp-dir.js';
import { MARKETS } from './markets.js';

const SEED = testSeed('PINEBRIDGE_CRASH_SEED', 20_251_107);
const ROUNDS = 4;
const BURST = 40;
const WEBHOOK_SECRET = 'reliability-crash-webhook-secret-0123456789';
const ORDER = { method: 'POST', path: '/api/v3/order' } as const;

type KillPlan = { kind: 'afterAnswers'; n: number } | { kind: 'afterOrderRequests'; n: number } | { kind: 'afterDelay'; ms: number };
type Answer = { status: number; outcome: string; alertId: string | null };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('reliability: kill -9 during bursts', () => {
  let sim: Simulator;
  const dir = tempDir('pinebridge-rel-crash-');
  let child: ServeProcess | null = null;

  beforeAll(async () => {
    sim = await startExchangeSimulator({ balances: { USDT: 10_000_000, BTC: 100, ETH: 1000, SOL: 10_000, BNB: 10_000 } });
    writeSettings(dir.path, { ...NO_RISK_LIMITS, execution: { ...FAST_EXECUTION, maxAttempts: 20 } });
  });
  afterAll(async () => {
    await child?.kill9();
    await sim?.close();
    dir.cleanup();
  });

  it('every acknowledged alert is journaled once and executed exactly once; no duplicate order per clientOrderId or per alert', async ({ onTestFailed }) => {
    const rng = seededRandom(SEED);
    const story: string[] = [`seed ${SEED}`];
    onTestFailed(() => console.error(`[reliability/crash] FAILED with seed ${SEED} (replay: PINEBRIDGE_CRASH_SEED=${SEED})\n  ${story.join('\n  ')}`));
    console.info(`[reliability/crash] seed ${SEED}`);

    const bodies = new Map<string, Record<string, unknown>>(); // client id -> alert body
    const answers = new Map<string, Answer[]>(); // client id -> every answer it got
    const unanswered = new Set<string>();
    let n = 0;
    const newAlert = (round: number): string => {
      const m = rng.pick(MARKETS);
      const id = `c${round}-${n++}`;
      bodies.set(id, { secret: WEBHOOK_SECRET, strategy: `crash-${rng.int(0, 4)}`, action: 'buy', symbol: m.symbol, quantity: m.quantity, price: m.price, id });
      return id;
    };
    const serve = () => spawnLive({ dataDir: dir.path, sim, webhookSecret: WEBHOOK_SECRET });

    const t0 = Date.now();
    const ms = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
    for (let round = 0; round < ROUNDS; round++) {
      child = await serve();
      story.push(`round ${round} started at ${ms()}`);
      const proc = child.proc;
      const url = child.webhookUrl;
      const faults: FaultHandle[] = [];
      const latency = rng.pick([0, 0, 20, 60, 150, 400]);
      if (latency > 0) faults.push(sim.injectFault({ kind: 'latency', ...ORDER, ms: latency, times: Infinity }));
      if (rng.chance(0.5)) faults.push(sim.injectFault({ kind: 'acceptThenTimeout', ...ORDER, times: rng.int(1, 2) }));
      const plan: KillPlan = rng.pick([
        { kind: 'afterAnswers', n: rng.int(1, BURST - 5) },
        { kind: 'afterOrderRequests', n: rng.int(1, 12) },
        { kind: 'afterDelay', ms: rng.int(0, 400) },
      ] satisfies KillPlan[]);
      // A client retrying what it never got an answer for (TradingView does not, a proxy might).
      const retries = [...unanswered].filter(() => rng.chance(0.6));
      const ids = rng.shuffle([...retries, ...Array.from({ length: BURST }, () => newAlert(round))]);
      const ordersBefore = sim.requestCount(ORDER.method, ORDER.path);
      const createdBefore = sim.orders().length;

      let killed = false;
      const kill = () => {
        if (killed) return;
        killed = true;
        proc.kill('SIGKILL');
      };
      let answered = 0;
      let watching = true;
      const watcher = (async () => {
        if (plan.kind === 'afterDelay') {
          await sleep(plan.ms);
          kill();
          return;
        }
        if (plan.kind !== 'afterOrderRequests') return;
        while (watching && !killed) {
          if (sim.requestCount(ORDER.method, ORDER.path) - ordersBefore >= plan.n) kill();
          await sleep(2);
        }
      })();
      const requests = ids.map(async (id) => {
        try {
          const a = await postWebhook(url, bodies.get(id));
          const answer: Answer = { status: a.status, outcome: a.json?.status ?? String(a.json?.error?.code ?? 'unreadable'), alertId: a.json?.alertId ?? null };
          answers.set(id, [...(answers.get(id) ?? []), answer]);
          unanswered.delete(id);
          if (a.status === 200) {
            answered += 1;
            if (plan.kind === 'afterAnswers' && answered === plan.n) kill();
          }
        } catch {
          if (!answers.has(id)) unanswered.add(id);
        }
      });
      await Promise.all(requests);
      // Past the plan's point with nothing killed yet (all answered first): kill while executing.
      if (plan.kind === 'afterOrderRequests') {
        const until = Date.now() + 3000;
        while (!killed && Date.now() < until) await sleep(5);
      }
      watching = false;
      kill();
      await watcher;
      await child.kill9();
      for (const f of faults) f.cancel();
      story.push(
        `round ${round}: ${JSON.stringify(plan)}, order latency ${latency} ms, held ${faults.some((f) => f.spec.kind === 'acceptThenTimeout')}, ` +
          `${ids.length} sent (${retries.length} retries), ${answered} answered 200, ${ids.filter((id) => unanswered.has(id)).length} unanswered, ` +
          `${sim.requestCount(ORDER.method, ORDER.path) - ordersBefore} order requests, ${sim.orders().length - createdBefore} orders`,
      );
      // Whatever was answered 200 is on disk right now, before any restart.
      const journaled = new Set(readAlerts(dir.path).map((a) => a.id));
      for (const [id, list] of answers) {
        for (const a of list) if (a.status === 200) expect(journaled.has(a.alertId!), `${id} (${a.alertId}) answered ${a.outcome} but not journaled (seed ${SEED})`).toBe(true);
      }
    }

    // The last start recovers everything; a client re-sends what it never got an answer for.
    child = await serve();
    story.push(`last start at ${ms()}`);
    for (const id of [...unanswered]) {
      const a = await postWebhook(child.webhookUrl, bodies.get(id));
      answers.set(id, [{ status: a.status, outcome: a.json?.status ?? 'unreadable', alertId: a.json?.alertId ?? null }]);
      expect(a.status, `re-sent ${id}: ${a.text}`).toBe(200);
      unanswered.delete(id);
    }
    const until = Date.now() + 25_000;
    for (;;) {
      const busy = withJournal(dir.path, (db) => ({
        alerts: (db.prepare(`SELECT count(*) AS n FROM alerts WHERE status IN ('accepted', 'executing')`).get() as { n: number }).n,
        intents: (db.prepare(`SELECT count(*) AS n FROM order_intents WHERE status IN ('pending', 'sending', 'unknown')`).get() as { n: number }).n,
      }));
      if (busy.alerts === 0 && busy.intents === 0) break;
      if (Date.now() > until) throw new Error(`still executing after the last restart: ${JSON.stringify(busy)} (seed ${SEED})`);
      await sleep(50);
    }
    story.push(`all executed at ${ms()}`);
    expect(await child.stop('SIGTERM')).toBe(0);
    child = null;

    // --- The journal: each client alert once, each acknowledged alert executed. ---
    const alerts = readAlerts(dir.path);
    const byId = new Map(alerts.map((a) => [a.id, a]));
    const taken = alerts.filter((a) => a.status !== 'rejected' && a.status !== 'duplicate');
    const takenByClientId = new Map<string, string[]>();
    for (const a of taken) {
      const clientId = String((JSON.parse(a.body) as { id?: unknown }).id);
      takenByClientId.set(clientId, [...(takenByClientId.get(clientId) ?? []), a.id]);
    }
    for (const [clientId, ids] of takenByClientId) expect(ids, `client alert ${clientId} journaled more than once (seed ${SEED})`).toHaveLength(1);
    expect(alerts.filter((a) => a.status === 'rejected').map((a) => a.reason), `rejections (seed ${SEED})`).toEqual([]);
    for (const a of taken) expect(a.status, `${a.id}: ${a.reason} (seed ${SEED})`).toBe('executed');
    for (const [clientId, list] of answers) {
      for (const answer of list) {
        expect(answer.status, `${clientId}: ${answer.outcome} (seed ${SEED})`).toBe(200);
        const row = byId.get(answer.alertId!);
        expect(row, `${clientId} acknowledged as ${answer.alertId} (seed ${SEED})`).toBeDefined();
        // A duplicate answer names the first alert: that one was executed.
        const executedId = answer.outcome === 'duplicate' ? answer.alertId! : row!.status === 'duplicate' ? row!.duplicate_of! : row!.id;
        expect(byId.get(executedId)?.status, `${clientId} -> ${executedId} (seed ${SEED})`).toBe('executed');
        expect(takenByClientId.get(clientId), `${clientId} (seed ${SEED})`).toEqual([executedId]);
      }
    }
    // Everything sent ended with an answer, and everything answered is in the journal.
    expect([...bodies.keys()].filter((id) => !answers.has(id)), `never answered (seed ${SEED})`).toEqual([]);
    expect(takenByClientId.size).toBe(bodies.size);

    // --- The intents: one per alert, filled. ---
    const intents = readIntents(dir.path);
    const intentsByAlert = new Map<string, typeof intents>();
    for (const i of intents) intentsByAlert.set(i.alert_id, [...(intentsByAlert.get(i.alert_id) ?? []), i]);
    for (const a of taken) {
      const mine = intentsByAlert.get(a.id) ?? [];
      expect(mine.map((i) => [i.client_order_id, i.status]), `${a.id} (seed ${SEED})`).toEqual([[`pb${a.id}-0`, 'filled']]);
    }

    // --- The exchange: exactly one filled order per alert, nothing else. ---
    const orders = sim.orders();
    const perClientOrderId = new Map<string, number>();
    for (const o of orders) perClientOrderId.set(o.clientOrderId, (perClientOrderId.get(o.clientOrderId) ?? 0) + 1);
    const doubled = [...perClientOrderId].filter(([, count]) => count > 1);
    expect(doubled, `duplicate orders on the exchange (seed ${SEED})`).toEqual([]);
    for (const a of taken) {
      const mine = sim.ordersByClientId(`pb${a.id}-0`);
      expect(mine.map((o) => o.status), `exchange orders of ${a.id} (seed ${SEED})`).toEqual(['FILLED']);
    }
    const alertOfOrder = new Set(taken.map((a) => `pb${a.id}-0`));
    expect(orders.filter((o) => !alertOfOrder.has(o.clientOrderId)).map((o) => o.clientOrderId), `orders of no alert (seed ${SEED})`).toEqual([]);
    expect(orders).toHaveLength(bodies.size);

    story.push(`total: ${bodies.size} alerts, ${orders.length} orders, ${sim.requestCount(ORDER.method, ORDER.path)} order requests`);
    console.info(`[reliability/crash] ${story.join('; ')}`);
  });
});
