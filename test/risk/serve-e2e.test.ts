import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountBreakerDto, AlertDetailDto, LimitsStateDto, ReconciliationDto, StatusDto, TradingStateDto } from '../../shared/api.js';
import { DEFAULT_API_KEY, DEFAULT_SECRET, startExchangeSimulator, type Simulator } from '../support/exchange-simulator/index.js';
import { spawnServe, type ServeProcess } from '../support/serve-process.js';
import { execFile } from 'node:child_process';
import { BIN } from '../support/serve-process.js';
import { tempDir } from '../support/temp-dir.js';

/** The CLI as a child process (asynchronously: the simulator runs in this process). */
const cli = (args: string[]) =>
  new Promise<{ status: number; stdout: string; stderr: string }>((resolve) =>
    execFile(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 30_000 }, (err, stdout, stderr) =>
      resolve({ status: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    ),
  );
import { command, eventually, getAlert, postAlert, WEBHOOK_SECRET } from '../execution/serve-client.js';

/**
 * The acceptance through `pinebridge serve` (live mode, --exchange-url, keys from the
 * environment) against the exchange simulator: a limit refuses an alert before any order, exchange
 * failures (not a refusal for insufficient balance, which is the setup's) open the account's circuit breaker, which halts trading until reset by hand, the pause
 * survives a restart, and reconciliation reports what changed on the exchange.
 */
describe('risk through pinebridge serve', () => {
  let sim: Simulator;
  let child: ServeProcess;
  const dir = tempDir('pinebridge-risk-e2e-');
  const env = { PINEBRIDGE_API_KEY: DEFAULT_API_KEY, PINEBRIDGE_API_SECRET: DEFAULT_SECRET, PINEBRIDGE_WEBHOOK_SECRET: WEBHOOK_SECRET };
  const start = async () => (child = await spawnServe({ dataDir: dir.path, args: ['--mode', 'live', '--exchange-url', sim.url], env }));

  beforeAll(async () => {
    // 100 USDT: a 0.01 BTC buy (650 USDT) is within the limit but refused by the exchange.
    sim = await startExchangeSimulator({ balances: { USDT: 100 }, prices: { BTCUSDT: 65_000 } });
    writeFileSync(
      join(dir.path, 'settings.json'),
      JSON.stringify({
        limits: { maxOrderNotional: 800 },
        breaker: { maxFailures: 2, windowSec: 600, coolDownSec: 0 },
        reconciliation: { intervalSec: 0 },
        execution: { exchangeTimeoutMs: 1000, recvWindowMs: 1000, backoffMs: 20, maxBackoffMs: 100 },
      }),
    );
    await start();
    // The account as first seen is the baseline (taken once the venue answered after the start).
    await eventually(async () => (await command<ReconciliationDto[]>(child, 'getReconciliation')).find((r) => r.status === 'ok'), 20_000, 'the start reconciliation');
  });
  afterAll(async () => {
    await child?.stop();
    await sim?.close();
    dir.cleanup();
  });

  const done = (id: string) =>
    eventually(async () => {
      const a = await getAlert(child, id);
      return a && a.status !== 'accepted' && a.status !== 'executing' ? a : undefined;
    });
  const alert = async (over: Record<string, unknown>): Promise<AlertDetailDto> =>
    done(await postAlert(child, { strategy: 'e2e', action: 'buy', symbol: 'BINANCE:BTCUSDT', price: '65000', id: `risk-e2e-${Math.random()}`, ...over }));

  it('refuses an alert over a limit before any order, with the numbers', async () => {
    const limits = await command<LimitsStateDto>(child, 'getLimits', {});
    expect(limits.limits.maxOrderNotional).toEqual({ value: 800, source: 'global' });
    expect(limits.limits.maxOrdersPerMinute).toEqual({ value: 10, source: 'global' });
    const a = await alert({ quantity: '0.013' });
    expect(a).toMatchObject({ status: 'skipped', reasonCode: 'risk_max_order_notional', reason: 'order notional 845.00 USDT is above the max order notional of 800 USDT (account main); raise Settings > Limits > max order notional, or send a smaller quantity' });
    expect(sim.orders()).toHaveLength(0);
  });

  it('opens the circuit breaker after the exchange fails twice (insufficient balance does not count): trading on the account halts until reset by hand', async () => {
    for (let i = 0; i < 3; i++) {
      const refused = await alert({ quantity: '0.01' });
      expect(refused.status).toBe('failed');
      expect(refused.reason).toMatch(/insufficient balance/i);
    }
    expect((await command<AccountBreakerDto[]>(child, 'getBreakers')).find((b) => b.account === 'main')).toMatchObject({ state: 'closed', failures: 0 });
    sim.injectFault({ kind: 'exchangeError', method: 'POST', path: '/api/v3/order', code: -1099, msg: 'Not found, unauthenticated, or unauthorized.', times: 2 });
    for (let i = 0; i < 2; i++) {
      const refused = await alert({ quantity: '0.001' });
      expect(refused.status).toBe('failed');
      expect(refused.reason).toMatch(/code -1099/);
    }
    // Sent and refused by the exchange (it keeps no order it refused).
    expect(sim.requestCount('POST', '/api/v3/order')).toBe(5);
    expect(sim.orders()).toHaveLength(0);
    const [main] = (await command<AccountBreakerDto[]>(child, 'getBreakers')).filter((b) => b.account === 'main');
    expect(main).toMatchObject({ state: 'open', failures: 2, reopensAt: null });
    expect((await command<StatusDto>(child, 'getStatus')).breaker).toMatchObject({ account: 'main', state: 'open' });
    expect(child.output()).toMatch(/circuit breaker of account main open: trading halted/);

    sim.setBalance('USDT', '10000');
    const halted = await alert({ quantity: '0.001' });
    expect(halted).toMatchObject({ status: 'skipped', reasonCode: 'breaker_open' });
    expect(halted.reason).toMatch(/it re-arms only by hand/);
    expect(sim.requestCount('POST', '/api/v3/order')).toBe(5);

    expect((await command<StatusDto>(child, 'getStatus')).state).toMatchObject({ kind: 'halted', account: 'main' });

    // The CLI asks the running server (its control API, with the data dir's token).
    const port = new URL(child.controlUrl).port;
    const list = await cli(['breaker', 'list', '--data-dir', dir.path, '--control-port', port]);
    expect(list.status, list.stderr).toBe(0);
    expect(list.stdout).toContain('Circuit breakers (the running server):');
    expect(list.stdout).toMatch(/^ {2}main: OPEN \(trading halted\) · 2 recent failures · 2 execution failures within 10 min.* · last failure: .*code -1099/m);
    const reset = await cli(['breaker', 'reset', 'main', '--data-dir', dir.path, '--control-port', port]);
    expect(reset.status, reset.stderr).toBe(0);
    expect(reset.stdout).toContain('Circuit breaker of account main reset by hand (the running server)');
    expect((await command<AccountBreakerDto[]>(child, 'getBreakers')).find((b) => b.account === 'main')).toMatchObject({ state: 'closed' });
    expect((await command<StatusDto>(child, 'getStatus')).state.kind).not.toBe('halted');
    const ok = await alert({ quantity: '0.001' });
    expect(ok.status, ok.reason ?? '').toBe('executed');
    expect(sim.ordersByClientId(`pb${ok.id}-0`)).toHaveLength(1);
  });

  it('reconciles on demand: the 9,900 USDT that appeared outside Pinebridge is a drift, with the numbers; nothing is traded', async () => {
    const orders = sim.orders().length;
    const [r] = await command<ReconciliationDto[]>(child, 'reconcile', { account: 'main' });
    expect(r!.status).toBe('drift');
    expect(r!.assets.find((x) => x.asset === 'USDT')).toMatchObject({ exchange: 9935, expected: 35, difference: 9900, drift: true });
    expect(sim.orders()).toHaveLength(orders);
    expect(await command<ReconciliationDto>(child, 'acceptReconciliation', { account: 'main' })).toMatchObject({ status: 'ok' });
  });

  it('stays paused across a restart of serve: alerts are answered and journaled, not executed', async () => {
    expect(await command<TradingStateDto>(child, 'pauseTrading', { reason: 'e2e' })).toMatchObject({ paused: true });
    expect(await child.stop()).toBe(0);
    await start();
    expect((await command<StatusDto>(child, 'getStatus')).trading).toEqual({ paused: true, reason: 'e2e' });
    const orders = sim.orders().length;
    const a = await alert({ quantity: '0.001' });
    expect(a).toMatchObject({ status: 'skipped', reasonCode: 'paused', httpStatus: 200 });
    expect(sim.orders()).toHaveLength(orders);
  });
});
