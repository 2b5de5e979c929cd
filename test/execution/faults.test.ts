import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaultSpec } from '../support/exchange-simulator/index.js';
import { startExchangeSimulator, type Simulator } from '../support/exchange-simulator/index.js';
import { alertBody, FAST, startExec, type ExecHarness } from './exec-harness.js';

const ORDER = { method: 'POST', path: '/api/v3/order' } as const;
const settings = { ...FAST, execution: { ...FAST.execution, exchangeTimeoutMs: 300, recvWindowMs: 500 } };

/**
 * Every fault the simulator can inject on order creation. Transient ones must end in exactly one
 * order for the alert's clientOrderId (looked up before any resend); permanent ones in one try
 * and a clear rejection.
 */
describe('exchange faults on order creation', () => {
  let sim: Simulator;
  let h: ExecHarness;

  beforeAll(async () => {
    sim = await startExchangeSimulator({ balances: { USDT: 1_000_000, BTC: 10 } });
    h = await startExec({ sim, overrides: settings });
  });
  afterAll(async () => {
    await h?.close();
    await sim?.close();
  });

  const transient: [string, FaultSpec][] = [
    ['HTTP 500 before processing', { kind: 'http500', ...ORDER }],
    ['HTTP 500 after the order was created', { kind: 'http500', ...ORDER, execute: true }],
    ['HTTP 503 "execution status unknown" after creating it', { kind: 'http503', ...ORDER, execute: true }],
    ['HTTP 429 rate limit', { kind: 'http429', ...ORDER, retryAfterSec: 1 }],
    ['HTTP 418 IP ban', { kind: 'http418', ...ORDER, retryAfterSec: 1 }],
    ['a dropped connection', { kind: 'drop', ...ORDER }],
    ['a dropped connection after the order was created', { kind: 'drop', ...ORDER, execute: true }],
    ['clock skew (-1021)', { kind: 'clockSkew', ...ORDER }],
    ['an answer slower than the timeout (the late request is refused by recvWindow)', { kind: 'latency', ...ORDER, ms: 900 }],
    ['the order accepted, then the answer never comes', { kind: 'acceptThenTimeout', ...ORDER }],
    ['the order accepted, then the connection dies', { kind: 'acceptThenTimeout', ...ORDER, ms: 100 }],
  ];

  it.each(transient)('%s: retried after a look-up, exactly one order', async (_name, fault) => {
    const handle = sim.injectFault(fault);
    const a = await h.run(alertBody({ strategy: `f-${fault.kind}`, quantity: '0.001', price: '65000' }));
    expect(handle.applied()).toBe(1);
    expect(a.status, a.reason ?? '').toBe('executed');
    const orders = sim.ordersByClientId(`pb${a.id}-0`);
    expect(orders).toHaveLength(1);
    expect(orders[0]!.status).toBe('FILLED');
    const [i] = h.intents(a.id);
    expect(i).toMatchObject({ status: 'filled', filled: 0.001, exchangeOrderId: String(orders[0]!.orderId) });
    expect(h.events.some((e) => e.type === 'order.retrying' && e.order.alertId === a.id)).toBe(true);
  });

  it('a slow answer that arrives after the timeout: the look-up waits out recvWindow, then finds the one order', async () => {
    // Processed at 420 ms (inside the 500 ms recvWindow), the client gave up at 300 ms: an early
    // look-up says "no such order", so a blind resend would make two.
    sim.injectFault({ kind: 'latency', ...ORDER, ms: 420 });
    const a = await h.run(alertBody({ strategy: 'f-slow', quantity: '0.001', price: '65000' }));
    expect(a.status, a.reason ?? '').toBe('executed');
    expect(sim.ordersByClientId(`pb${a.id}-0`)).toHaveLength(1);
    expect(h.intents(a.id)[0]!.attempts).toBe(1);
  });

  it('a look-up that fails too is retried before anything is re-sent', async () => {
    sim.injectFault({ kind: 'acceptThenTimeout', ...ORDER });
    sim.injectFault({ kind: 'http503', method: 'GET', path: '/api/v3/order', times: 2 });
    const a = await h.run(alertBody({ strategy: 'f-lookup', quantity: '0.001', price: '65000' }));
    expect(a.status, a.reason ?? '').toBe('executed');
    expect(sim.ordersByClientId(`pb${a.id}-0`)).toHaveLength(1);
    expect(sim.requestCount('GET', '/api/v3/order')).toBeGreaterThanOrEqual(3);
  });

  it('insufficient balance is permanent: one try, a clear rejection, no retry', async () => {
    sim.resetRequests();
    const a = await h.run(alertBody({ strategy: 'f-funds', quantity: '100', price: '65000' }));
    expect(a.status).toBe('failed');
    expect(a.reason).toMatch(/binance refused the order: insufficient balance \(Account has insufficient balance for requested action.\)/);
    expect(sim.requestCount('POST', '/api/v3/order')).toBe(1);
    expect(h.intents(a.id)[0]).toMatchObject({ status: 'rejected', errorCode: 'InsufficientFunds', attempts: 1 });
    expect(h.events.some((e) => e.type === 'order.failed' && e.order.alertId === a.id)).toBe(true);
  });

  it('keeps retrying within its bound while the exchange is unreachable, then leaves the order to recovery', async () => {
    const g = await startExec({ sim, overrides: { ...settings, execution: { ...settings.execution, maxAttempts: 3 } }, keepDir: true });
    let again: ExecHarness | null = null;
    try {
      await g.engine.executionIdle();
      sim.setReachable(false);
      const a = await g.run(alertBody({ strategy: 'f-down', quantity: '0.001', price: '65000' }));
      expect(a.status).toBe('executing');
      expect(a.reasonCode).toBe('order_unknown');
      expect(a.reason).toMatch(/not known yet .*keeps checking/);
      expect(g.intents(a.id)[0]!.status).toBe('unknown');
      await g.close();
      sim.setReachable(true);
      // Next start: the intent is looked up first, then sent once.
      again = await startExec({ sim, overrides: settings, dataDir: g.dataDir });
      await again.engine.executionIdle();
      const done = again.engine.journal().alerts.get(a.id)!;
      expect(done.status, done.reason ?? '').toBe('executed');
      expect(sim.ordersByClientId(`pb${a.id}-0`)).toHaveLength(1);
    } finally {
      sim.setReachable(true);
      await again?.close();
    }
  });

  it('wrong API keys are permanent: the trader is told to check them', async () => {
    const g = await startExecWithSecret(sim, 'not-the-secret-of-this-key-000000000000');
    try {
      const a = await g.run(alertBody({ strategy: 'f-auth', quantity: '0.001', price: '65000' }));
      expect(a.status).toBe('failed');
      expect(a.reason).toMatch(/refused the API keys|Signature/i);
      expect(g.intents(a.id)[0]).toMatchObject({ status: 'rejected', attempts: 1 });
    } finally {
      await g.close();
    }
  });
});

async function startExecWithSecret(sim: Simulator, secret: string): Promise<ExecHarness> {
  return startExec({ sim: { ...sim, secret } as Simulator, overrides: settings });
}
