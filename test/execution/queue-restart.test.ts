/**
 * The execution queue through `pinebridge serve --mode live` against the exchange simulator:
 * - killed (-9) with 5,000 accepted alerts queued, the restart executes every one of them once;
 * - stopped (SIGTERM) in a backlog, it leaves no intent written `sending` that was not sent, and
 *   the restart executes every alert once.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startExchangeSimulator, type Simulator } from '../support/exchange-simulator/index.js';
import { readAlerts, readIntents } from '../support/journal-reader.js';
import { FAST_EXECUTION, NO_RISK_LIMITS, postWebhook, spawnLive, writeSettings } from '../support/live-serve.js';
import type { ServeProcess } from '../support/serve-process.js';
import { tempDir } from '../support/temp-dir.js';
import { MARKETS } from '../reliability/markets.js';

const SECRET = 'queue-restart-webhook-secret-0123456789';
const ORDER = { method: 'POST', path: '/api/v3/order' } as const;
const OPEN = new Set(['accepted', 'executing']);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Posts the alerts `concurrency` at a time; returns the alert id of each, in order. */
async function postAll(url: string, bodies: Record<string, unknown>[], concurrency = 24): Promise<string[]> {
  const ids: string[] = new Array<string>(bodies.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let n = next++; n < bodies.length; n = next++) {
        const a = await postWebhook(url, bodies[n]);
        if (a.status !== 200 || a.json?.status !== 'accepted') throw new Error(`alert ${n}: ${a.status} ${a.text}`);
        ids[n] = a.json.alertId as string;
      }
    }),
  );
  return ids;
}

/** Waits until no alert of the journal is left accepted or executing. */
async function allFinished(dataDir: string, count: number, ms: number): Promise<ReturnType<typeof readAlerts>> {
  const until = Date.now() + ms;
  for (;;) {
    const alerts = readAlerts(dataDir);
    const open = alerts.filter((a) => OPEN.has(a.status)).length;
    if (alerts.length === count && open === 0) return alerts;
    if (Date.now() > until) throw new Error(`${open} of ${alerts.length} alert(s) still accepted or executing`);
    await sleep(500);
  }
}

describe('the execution queue across a restart', () => {
  let sim: Simulator;
  let dir = tempDir('pinebridge-queue-');
  let child: ServeProcess | null = null;
  beforeEach(async () => {
    dir = tempDir('pinebridge-queue-');
    sim = await startExchangeSimulator({ balances: { USDT: 100_000_000, BTC: 100, ETH: 1000, SOL: 10_000, BNB: 10_000 } });
  });
  afterEach(async () => {
    await child?.kill9();
    child = null;
    await sim.close();
    dir.cleanup();
  });

  it('killed with 5,000 accepted alerts queued: the restart executes every one exactly once', { timeout: 720_000 }, async () => {
    const COUNT = 5000;
    // The exchange's market list never arrives: every alert is journaled and none can execute.
    writeSettings(dir.path, {
      ...NO_RISK_LIMITS,
      webhook: { rateLimit: { burst: 100_000, perSecond: 100_000 } },
      execution: { ...FAST_EXECUTION, exchangeTimeoutMs: 120_000 },
    });
    const held = sim.injectFault({ kind: 'latency', method: 'GET', path: '/api/v3/exchangeInfo', ms: 600_000, times: Infinity });
    child = await spawnLive({ dataDir: dir.path, sim, webhookSecret: SECRET });
    const bodies = Array.from({ length: COUNT }, (_, n) => {
      const m = MARKETS[n % MARKETS.length]!;
      // Fixed-size buys: each is one create request (sells read the balance first and wait for the
      // answers before them), so 5,000 fit the exchange's request rate in a few minutes.
      return { secret: SECRET, strategy: `q-${n % 3}`, action: 'buy', symbol: m.symbol, quantity: m.quantity, price: m.price, id: `q-${n}` };
    });
    const ids = await postAll(child.webhookUrl, bodies);
    expect(new Set(ids).size).toBe(COUNT);
    expect(readAlerts(dir.path).filter((a) => a.status === 'accepted')).toHaveLength(COUNT);
    await child.kill9();
    held.cancel();
    expect(readIntents(dir.path)).toHaveLength(0);
    expect(sim.orders()).toHaveLength(0);

    // 5,000 orders at the exchange's rate take minutes: the age limit (its own tests) stays out of
    // the way, lifted with the other limits (NO_RISK_LIMITS: maxAlertAgeSec null), the one age setting.
    writeSettings(dir.path, { ...NO_RISK_LIMITS, execution: FAST_EXECUTION });
    child = await spawnLive({ dataDir: dir.path, sim, webhookSecret: SECRET });
    const alerts = await allFinished(dir.path, COUNT, 600_000);
    const notExecuted = alerts.filter((a) => a.status !== 'executed');
    expect(notExecuted.slice(0, 3).map((a) => `${a.status}: ${a.reason}`)).toEqual([]);
    expect(sim.orders()).toHaveLength(COUNT);
    for (const id of ids) expect(sim.ordersByClientId(`pb${id}-0`), id).toHaveLength(1);
  });

  it('SIGTERM in a backlog: no intent is left `sending` unsent, and the restart executes every alert once', { timeout: 240_000 }, async () => {
    const COUNT = 300;
    writeSettings(dir.path, { ...NO_RISK_LIMITS, execution: { ...FAST_EXECUTION, exchangeTimeoutMs: 5000 } });
    // A slow exchange, and every fifth alert sized from the balance (one at a time behind the others).
    const slow = sim.injectFault({ kind: 'latency', ...ORDER, ms: 100, times: Infinity });
    child = await spawnLive({ dataDir: dir.path, sim, webhookSecret: SECRET });
    const bodies = Array.from({ length: COUNT }, (_, n) => ({
      secret: SECRET,
      strategy: 'backlog',
      action: 'buy',
      symbol: 'BINANCE:BTCUSDT',
      quantity: n % 5 === 4 ? '0.01%' : '0.001',
      price: '65000',
      id: `b-${n}`,
    }));
    const ids = await postAll(child.webhookUrl, bodies);
    const until = Date.now() + 60_000;
    while (sim.orders().length < 20 && Date.now() < until) await sleep(20);
    expect(await child.stop('SIGTERM')).toBe(0);
    slow.cancel();

    const intents = readIntents(dir.path);
    const unsent = intents.filter((i) => sim.ordersByClientId(i.client_order_id).length !== 1);
    expect(unsent.map((i) => `${i.client_order_id} ${i.status}`)).toEqual([]);
    expect(intents.filter((i) => i.status === 'sending')).toEqual([]);
    // It was a backlog: alerts were still waiting when the server stopped.
    const waiting = readAlerts(dir.path).filter((a) => a.status === 'accepted');
    expect(waiting.length).toBeGreaterThan(0);
    expect(intents.length + waiting.length).toBe(COUNT);

    child = await spawnLive({ dataDir: dir.path, sim, webhookSecret: SECRET });
    const alerts = await allFinished(dir.path, COUNT, 180_000);
    expect(alerts.filter((a) => a.status !== 'executed').map((a) => `${a.status}: ${a.reason}`)).toEqual([]);
    expect(sim.orders()).toHaveLength(COUNT);
    for (const id of ids) expect(sim.ordersByClientId(`pb${id}-0`), id).toHaveLength(1);
  });
});
