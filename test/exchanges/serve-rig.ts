/**
 * `pinebridge serve --mode live --exchange <id>` against one exchange's simulator, and the checks
 * the per-exchange suites share: exactly one order per alert, and every re-send preceded by a
 * look-up of that client id.
 */
import type { ExpectStatic } from 'vitest';
import { readAlerts, readIntents, withJournal, type JournalAlertRow } from '../support/journal-reader.js';
import { FAST_EXECUTION, NO_RISK_LIMITS, postWebhook, writeSettings } from '../support/live-serve.js';
import { spawnServe, type ServeProcess } from '../support/serve-process.js';
import type { ExchangeRig, MarketCase, SimUnderTest } from './rig.js';

export const WEBHOOK_SECRET = 'exchange-suite-webhook-secret-0123456789';

/** Held answers short, a loaded machine's own slowness not taken for a fault (that only adds retries). */
export const SUITE_EXECUTION = { ...FAST_EXECUTION, exchangeTimeoutMs: 800, recvWindowMs: 2000, maxAttempts: 20 };

export function writeSuiteSettings(dataDir: string, extra: Record<string, unknown> = {}): void {
  writeSettings(dataDir, { ...NO_RISK_LIMITS, execution: SUITE_EXECUTION, readiness: { venueProbeSec: 1 }, ...extra });
}

export function serveOn(rig: ExchangeRig, sim: SimUnderTest, dataDir: string, keys: { apiKey?: string; secret?: string } = {}): Promise<ServeProcess> {
  return spawnServe({
    dataDir,
    args: ['--mode', 'live', '--exchange', rig.id, '--exchange-url', sim.url],
    env: {
      PINEBRIDGE_API_KEY: keys.apiKey ?? sim.apiKey,
      PINEBRIDGE_API_SECRET: keys.secret ?? sim.secret,
      ...(sim.password ? { PINEBRIDGE_API_PASSWORD: sim.password } : {}),
      PINEBRIDGE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    },
  });
}

let n = 0;
export function alertFor(m: MarketCase, over: Record<string, unknown> = {}): Record<string, unknown> {
  n += 1;
  return { secret: WEBHOOK_SECRET, strategy: 'suite', action: 'buy', symbol: m.symbol, quantity: m.quantity, price: m.price, id: `x-${Date.now()}-${n}`, ...over };
}

/** Posts an alert and returns its accepted id. */
export async function post(p: ServeProcess, body: Record<string, unknown>): Promise<string> {
  const a = await postWebhook(p.webhookUrl, body);
  if (a.status !== 200 || a.json?.status !== 'accepted') throw new Error(`not accepted: ${a.status} ${a.text}`);
  return a.json.alertId as string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits until nothing is accepted/executing, no intent is in flight (`pending`, `sending`,
 * `unknown`) and no market order is still waiting for its fill to be read (an exchange that
 * answers a create with ids only, as Bybit and OKX do, leaves it `open` until the tracker asks).
 */
export async function settled(dataDir: string, ms = 60_000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    const busy = withJournal(dataDir, (db) => ({
      alerts: (db.prepare(`SELECT count(*) AS n FROM alerts WHERE status IN ('accepted', 'executing')`).get() as { n: number }).n,
      intents: (db.prepare(`SELECT count(*) AS n FROM order_intents WHERE status IN ('pending', 'sending', 'unknown') OR (status = 'open' AND type = 'market')`).get() as { n: number }).n,
    }));
    if (busy.alerts === 0 && busy.intents === 0) return;
    if (Date.now() > until) throw new Error(`still executing after ${ms} ms: ${JSON.stringify(busy)}`);
    await sleep(50);
  }
}

export function alertRow(dataDir: string, id: string): JournalAlertRow {
  const a = readAlerts(dataDir).find((x) => x.id === id);
  if (!a) throw new Error(`alert ${id} not in the journal`);
  return a;
}

export function intentsOf(dataDir: string, alertId: string) {
  return readIntents(dataDir).filter((i) => i.alert_id === alertId);
}

/** Executed, one filled order on the exchange, and every re-send preceded by a look-up of that client id. */
export function expectExactlyOnce(expect: ExpectStatic, rig: ExchangeRig, sim: SimUnderTest, dataDir: string, id: string, what: string): void {
  const a = alertRow(dataDir, id);
  const cid = rig.cid(id, 0);
  expect(a.status, `${what}: ${a.reason}`).toBe('executed');
  expect(sim.orders(cid), `${what}: orders of ${cid}`).toEqual(['filled']);
  const sends = sim.sends(cid).map((r) => r.seq);
  const looks = sim.lookups(cid).map((r) => r.seq);
  for (let i = 1; i < sends.length; i++) {
    expect(looks.some((s) => s > sends[i - 1]! && s < sends[i]!), `${what}: order request ${i + 1} of ${cid} without a look-up before it`).toBe(true);
  }
}

/** No client id has two orders on the exchange. */
export function expectNoDuplicates(expect: ExpectStatic, sim: SimUnderTest, what: string): void {
  const count = new Map<string, number>();
  for (const c of sim.allOrderClientIds()) count.set(c, (count.get(c) ?? 0) + 1);
  expect([...count].filter(([, k]) => k > 1), `${what}: duplicate orders`).toEqual([]);
}
