/**
 * A real engine (real SQLite in a temp dir, real HTTP) with the risk settings as given, or the
 * defaults: paper, or live against the exchange simulator. A controllable clock drives the
 * limits' time windows and the breaker's cool-down; a data dir can be reopened (a restart).
 */
import type { DeepPartial, Settings } from '../../main/engine/core/config.js';
import { createEngine, type Engine } from '../../main/engine/engine.js';
import type { Intent } from '../../main/engine/journal/intents.js';
import { credentialName, type Clock, type SecretStore } from '../../main/engine/core/ports.js';
import { createMemoryStore } from '../../main/engine/secrets/index.js';
import type { AlertDetailDto, EngineEvent } from '../../shared/api.js';
import type { Simulator } from '../support/exchange-simulator/index.js';
import { tempDir } from '../support/temp-dir.js';

export const SECRET = 'risk-test-webhook-secret-0123456789';

/** Time that moves only when told to (starts at the real time). */
export class ManualClock implements Clock {
  constructor(public t = Date.now()) {}
  now = (): number => this.t;
  advance(ms: number): void {
    this.t += ms;
  }
}

export interface RiskHarness {
  engine: Engine;
  dataDir: string;
  secrets: SecretStore;
  events: EngineEvent[];
  /** POSTs an alert (the secret is added) and returns its id once accepted. */
  alert(body: Record<string, unknown>): Promise<string>;
  /** POSTs and waits until the worker is idle; returns the alert as journaled. */
  run(body: Record<string, unknown>): Promise<AlertDetailDto>;
  intents(alertId: string): Intent[];
  position(strategy: string, symbol: string, account?: string): { qty: number; avgEntry: number; realizedPnl: number; fees: number };
  /** Stops the engine; the data dir stays unless `cleanup`. */
  close(cleanup?: boolean): Promise<void>;
}

export interface RiskOptions {
  /** The journal on this PostgreSQL database instead of SQLite in the data dir. */
  databaseUrl?: string;
  overrides?: DeepPartial<Settings>;
  sim?: Simulator;
  /** Account aliases whose live keys are the simulator's (default: main). */
  simAccounts?: string[];
  clock?: Clock;
  dataDir?: string;
  secrets?: SecretStore;
  onSql?: (sql: string) => void;
}

/** Paper costs off, so the numbers at each limit's edge are exact. */
export const EXACT_PAPER: DeepPartial<Settings> = { paper: { balances: { USDT: 10_000 }, feeRate: 0, slippageBps: 0, minNotional: 0 } };

export const FAST: DeepPartial<Settings> = {
  execution: { backoffMs: 20, maxBackoffMs: 100, exchangeTimeoutMs: 1000, recvWindowMs: 1000, pollIntervalSec: 0.2 },
};

export async function startRisk(o: RiskOptions = {}): Promise<RiskHarness> {
  const dir = o.dataDir ? { path: o.dataDir, cleanup: () => {} } : tempDir('pinebridge-risk-');
  const secrets = o.secrets ?? createMemoryStore();
  let overrides: DeepPartial<Settings> = { ...o.overrides, webhook: { port: 0 }, control: { port: 0 } };
  if (o.sim) {
    for (const a of o.simAccounts ?? ['main']) {
      await secrets.set(credentialName(a, 'live', 'apiKey'), o.sim.apiKey);
      await secrets.set(credentialName(a, 'live', 'secret'), o.sim.secret);
    }
    overrides = { ...FAST, ...overrides, mode: 'live', exchange: 'binance', exchangeUrl: o.sim.url };
  }
  const engine = await createEngine({
    dataDir: dir.path,
    databaseUrl: o.databaseUrl,
    overrides,
    secrets,
    webhookSecret: SECRET,
    clock: o.clock,
    onSql: o.onSql,
    log: { console: null, level: 'warn', file: false },
  });
  const events: EngineEvent[] = [];
  engine.events.subscribe((e) => {
    if (e.type !== 'log') events.push(e);
  });
  const { webhookPort } = await engine.start();
  const url = `http://127.0.0.1:${webhookPort}/webhook`;
  const post = async (body: Record<string, unknown>): Promise<string> => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ secret: SECRET, ...body }) });
    const json = (await res.json()) as { status?: string; alertId?: string };
    if (res.status !== 200 || json.status !== 'accepted') throw new Error(`alert not accepted: ${res.status} ${JSON.stringify(json)}`);
    return json.alertId as string;
  };
  return {
    engine,
    dataDir: dir.path,
    secrets,
    events,
    alert: post,
    async run(body) {
      const id = await post(body);
      await engine.executionIdle();
      return engine.journal().alerts.get(id) as AlertDetailDto;
    },
    intents: (id) => engine.journal().intents.forAlert(id),
    position: (strategy, symbol, account = 'main') => engine.journal().positions.get({ account, mode: engine.settings.mode, strategy, symbol }),
    async close(cleanup = true) {
      await engine.stop();
      if (cleanup) dir.cleanup();
    },
  };
}

let n = 0;
/** A native alert with a fresh id. */
export function buy(over: Record<string, unknown> = {}): Record<string, unknown> {
  n += 1;
  return { strategy: 'ma-cross', action: 'buy', symbol: 'BINANCE:BTCUSDT', id: `r-${Date.now()}-${n}-${Math.random()}`, ...over };
}
