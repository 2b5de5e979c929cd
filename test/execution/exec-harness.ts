/**
 * A real engine (real SQLite in a temp dir, real HTTP) for execution tests: paper by default, or
 * live against the exchange simulator with its keys in a memory secret store.
 */
import type { DeepPartial, Settings } from '../../main/engine/core/config.js';
import { createEngine, type Engine } from '../../main/engine/engine.js';
import type { Intent } from '../../main/engine/journal/intents.js';
import { credentialName, type SecretStore } from '../../main/engine/core/ports.js';
import { createMemoryStore } from '../../main/engine/secrets/index.js';
import type { AlertDetailDto, EngineEvent } from '../../shared/api.js';
import type { Simulator } from '../support/exchange-simulator/index.js';
import { NO_LIMITS } from '../../shared/api.js';
import { tempDir } from '../support/temp-dir.js';

export const SECRET = 'exec-test-webhook-secret-0123456789';

export interface ExecHarness {
  engine: Engine;
  dataDir: string;
  url: string;
  events: EngineEvent[];
  secrets: SecretStore;
  /** POSTs an alert (the secret is added) and returns the accepted alert id. */
  alert(body: Record<string, unknown>): Promise<string>;
  /** POSTs and waits until the worker has nothing left to do; returns the alert as journaled. */
  run(body: Record<string, unknown>): Promise<AlertDetailDto>;
  intents(alertId: string): Intent[];
  position(strategy: string, symbol: string): { qty: number; avgEntry: number; realizedPnl: number; fees: number };
  balances(): Promise<Record<string, { free: number; used: number; total: number }>>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** The journal on this PostgreSQL database instead of SQLite in the data dir. */
  databaseUrl?: string;
  overrides?: DeepPartial<Settings>;
  /** Live mode against this simulator (keys stored for account "main"). */
  sim?: Simulator;
  /** The ccxt exchange account "main" trades on the simulator: `binance` (spot, default) or `binanceusdm`. */
  exchange?: 'binance' | 'binanceusdm';
  dataDir?: string;
  keepDir?: boolean;
}

/**
 * Execution tests trade far beyond the risk defaults on purpose (100,000-USDT accounts, dozens of
 * alerts a minute on one account, failures injected back to back, alerts with fixed old times):
 * here the limits and the circuit breaker are off unless a test sets them. test/risk tests them,
 * with the defaults and at their edges.
 */
export const NO_RISK = {
  limits: NO_LIMITS,
  breaker: { maxFailures: 1000 },
} satisfies DeepPartial<Settings>;

/** Fast retry settings: tests do not wait seconds between tries. */
export const FAST: DeepPartial<Settings> = {
  execution: { backoffMs: 20, maxBackoffMs: 100, exchangeTimeoutMs: 1000, recvWindowMs: 1000, pollIntervalSec: 0.2 },
};

export async function startExec(o: HarnessOptions = {}): Promise<ExecHarness> {
  const dir = o.dataDir ? { path: o.dataDir, cleanup: () => {} } : tempDir('pinebridge-exec-');
  const secrets = createMemoryStore();
  let overrides: DeepPartial<Settings> = {
    ...o.overrides,
    // Paper checks symbols against the shipped snapshot here: tests do not reach out to binance.com.
    paper: { markets: 'snapshot', ...o.overrides?.paper },
    limits: { ...NO_RISK.limits, ...o.overrides?.limits },
    breaker: { ...NO_RISK.breaker, ...o.overrides?.breaker },
    webhook: { port: 0 },
    control: { port: 0 },
  };
  if (o.sim) {
    await secrets.set(credentialName('main', 'live', 'apiKey'), o.sim.apiKey);
    await secrets.set(credentialName('main', 'live', 'secret'), o.sim.secret);
    overrides = { ...overrides, mode: 'live', exchange: o.exchange ?? 'binance', exchangeUrl: o.sim.url };
  }
  const engine = await createEngine({
    dataDir: dir.path,
    databaseUrl: o.databaseUrl,
    overrides,
    secrets,
    webhookSecret: SECRET,
    log: { console: null, level: 'warn', file: false },
  });
  const events: EngineEvent[] = [];
  engine.events.subscribe((e) => {
    if (e.type !== 'log') events.push(e);
  });
  const { webhookPort } = await engine.start();
  const url = `http://127.0.0.1:${webhookPort}`;
  const post = async (body: Record<string, unknown>): Promise<string> => {
    const res = await fetch(`${url}/webhook`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ secret: SECRET, ...body }) });
    const json = (await res.json()) as { status?: string; alertId?: string; error?: { message: string } };
    if (res.status !== 200 || json.status !== 'accepted') throw new Error(`alert not accepted: ${res.status} ${JSON.stringify(json)}`);
    return json.alertId as string;
  };
  const h: ExecHarness = {
    engine,
    dataDir: dir.path,
    url,
    events,
    secrets,
    alert: post,
    async run(body) {
      const id = await post(body);
      await engine.executionIdle();
      return engine.journal().alerts.get(id) as AlertDetailDto;
    },
    intents: (alertId) => engine.journal().intents.forAlert(alertId),
    position: (strategy, symbol) =>
      engine.journal().positions.get({ account: 'main', mode: engine.settings.mode, strategy, symbol }),
    balances: async () => Object.fromEntries((await engine.api.getBalances({})).balances.map((b) => [b.currency, b])),
    async close() {
      await engine.stop();
      if (!o.keepDir) dir.cleanup();
    },
  };
  return h;
}

let n = 0;
/** A native alert with a fresh id. */
export function alertBody(over: Record<string, unknown> = {}): Record<string, unknown> {
  n += 1;
  return { strategy: 'ma-cross', action: 'buy', symbol: 'BINANCE:BTCUSDT', id: `t-${Date.now()}-${n}-${Math.random()}`, ...over };
}
