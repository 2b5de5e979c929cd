import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../main/engine/secrets/index.js';
import { startExchangeSimulator, type Simulator } from '../support/exchange-simulator/index.js';
import { tempDir } from '../support/temp-dir.js';
import { buy, EXACT_PAPER, startRisk, type RiskHarness } from './risk-harness.js';

/**
 * The kill switch: alerts received while paused are journaled, answered and marked not executed
 * with the reason, never executed late on resume, and the pause survives a restart.
 */
const NO_LIMITS = { limits: { maxOrderNotional: null, maxPositionPerSymbol: null, maxTotalExposure: null, maxOrdersPerMinute: null, dailyLossLimit: null, maxAlertAgeSec: null } };

let h: RiskHarness | null = null;
let sim: Simulator | null = null;
const dirs: { cleanup(): void }[] = [];
afterEach(async () => {
  await h?.close(false);
  h = null;
  await sim?.close();
  sim = null;
  for (const d of dirs.splice(0)) d.cleanup();
});

async function until<T>(what: string, check: () => T | undefined | false, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('kill switch', () => {
  it('pause: alerts in between are answered and journaled, not executed, and not executed late on resume', async () => {
    const dir = tempDir('pinebridge-risk-');
    dirs.push(dir);
    h = await startRisk({ overrides: { ...EXACT_PAPER, ...NO_LIMITS }, dataDir: dir.path });
    const before = await h.run(buy({ symbol: 'SOLUSDT', quantity: '1', price: '100' }));
    expect(before.status).toBe('executed');

    const paused = await h.engine.api.pauseTrading({ reason: 'news at 14:30' });
    expect(paused).toMatchObject({ paused: true, reason: 'news at 14:30' });
    expect(h.events.at(-1)).toMatchObject({ type: 'trading', trading: { paused: true } });
    const between = await h.run(buy({ symbol: 'SOLUSDT', quantity: '1', price: '100' }));
    expect(between).toMatchObject({ status: 'skipped', reasonCode: 'paused', reason: 'trading is paused (news at 14:30): not executed', httpStatus: 200 });
    expect(h.events.some((e) => e.type === 'alert.skipped' && e.alert.id === between.id)).toBe(true);
    expect((await h.engine.api.getStatus({})).trading).toEqual({ paused: true, reason: 'news at 14:30' });

    await h.engine.api.resumeTrading({});
    await h.engine.executionIdle();
    expect(h.engine.journal().alerts.get(between.id)!.status).toBe('skipped');
    expect(h.intents(between.id)).toEqual([]);
    const after = await h.run(buy({ symbol: 'SOLUSDT', quantity: '1', price: '100' }));
    expect(after.status, after.reason ?? '').toBe('executed');
    expect(h.position('ma-cross', 'SOL/USDT').qty).toBe(2);
  });

  it('a burst while paused: every alert skipped with its reason and its events, one log line and a count, not a line each', async () => {
    h = await startRisk({ overrides: { ...EXACT_PAPER, ...NO_LIMITS } });
    const logged: string[] = [];
    h.engine.events.subscribe((e) => {
      if (e.type === 'log' && e.entry.msg.startsWith('alert not executed: trading is paused')) logged.push(e.entry.msg);
    });
    await h.engine.api.pauseTrading({ reason: 'bar close test' });
    const burst = await Promise.all(Array.from({ length: 30 }, (_, i) => h!.run(buy({ symbol: 'SOLUSDT', quantity: '1', price: '100', id: `burst-${i}` }))));
    for (const a of burst) expect(a).toMatchObject({ status: 'skipped', reasonCode: 'paused', reason: 'trading is paused (bar close test): not executed' });
    for (const a of burst) expect(h.events.filter((e) => e.type === 'alert.skipped' && e.alert.id === a.id)).toHaveLength(1);
    expect(logged).toEqual(['alert not executed: trading is paused (bar close test): not executed']);
    const done = h;
    h = null;
    await done.close(false);
    // At stop, the run's count: the other 29 are each in the journal.
    expect(logged).toEqual([
      'alert not executed: trading is paused (bar close test): not executed',
      'alert not executed: trading is paused (bar close test): not executed (and 29 more like it within 10 s: each is in the journal)',
    ]);
  });

  it('stays paused across a restart (kept in the data dir), and resumes only by hand', async () => {
    const dir = tempDir('pinebridge-risk-');
    dirs.push(dir);
    const secrets = createMemoryStore();
    h = await startRisk({ overrides: { ...EXACT_PAPER, ...NO_LIMITS }, dataDir: dir.path, secrets });
    await h.engine.api.pauseTrading({ reason: 'going to sleep' });
    await h.close(false);
    expect(JSON.parse(readFileSync(join(dir.path, 'risk-state.json'), 'utf8'))).toMatchObject({ trading: { paused: true, reason: 'going to sleep' } });

    h = await startRisk({ overrides: { ...EXACT_PAPER, ...NO_LIMITS }, dataDir: dir.path, secrets });
    expect((await h.engine.api.getStatus({})).trading).toEqual({ paused: true, reason: 'going to sleep' });
    const whilePaused = await h.run(buy({ symbol: 'SOLUSDT', quantity: '1', price: '100' }));
    expect(whilePaused).toMatchObject({ status: 'skipped', reasonCode: 'paused' });
    await h.engine.api.resumeTrading({});
    await h.close(false);

    h = await startRisk({ overrides: { ...EXACT_PAPER, ...NO_LIMITS }, dataDir: dir.path, secrets });
    expect((await h.engine.api.getStatus({})).trading.paused).toBe(false);
    expect(h.engine.journal().alerts.get(whilePaused.id)!.status).toBe('skipped');
    const resumed = await h.run(buy({ symbol: 'SOLUSDT', quantity: '1', price: '100' }));
    expect(resumed.status, resumed.reason ?? '').toBe('executed');
    expect(h.intents(whilePaused.id)).toEqual([]);
  });

  it('an unreadable saved state starts paused rather than trading', async () => {
    const dir = tempDir('pinebridge-risk-');
    dirs.push(dir);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir.path, 'risk-state.json'), '{ not json');
    h = await startRisk({ overrides: { ...EXACT_PAPER, ...NO_LIMITS }, dataDir: dir.path });
    const s = await h.engine.api.getStatus({});
    expect(s.trading.paused).toBe(true);
    expect(s.trading.reason).toMatch(/saved trading state is unreadable/);
    expect((await h.run(buy({ symbol: 'SOLUSDT', quantity: '1', price: '100' }))).reasonCode).toBe('paused');
  });

  it('an alert still queued behind a slow order when trading is paused is skipped, even after the resume', async () => {
    sim = await startExchangeSimulator({ balances: { USDT: 100_000 } });
    const dir = tempDir('pinebridge-risk-');
    dirs.push(dir);
    h = await startRisk({ sim, overrides: NO_LIMITS, dataDir: dir.path });
    const r = h;
    // The first order takes 1.5 s at the exchange; the next alert for the market, sized from the
    // balance, waits behind it (a fixed-size one would be sent without waiting: pipelined).
    sim.injectFault({ kind: 'latency', method: 'POST', path: '/api/v3/order', ms: 1500 });
    const first = await r.alert(buy({ strategy: 'q', quantity: '0.001', price: '65000' }));
    await until('first order sent', () => r.events.some((e) => e.type === 'order.sent' && e.order.alertId === first));
    const queued = await r.alert(buy({ strategy: 'q', quantity: '0.1%', price: '65000' }));
    await r.engine.api.pauseTrading({ reason: 'by hand' });
    const duringPause = await r.alert(buy({ strategy: 'q', quantity: '0.001', price: '65000' }));
    await r.engine.api.resumeTrading({});
    await r.engine.executionIdle();

    const j = r.engine.journal();
    expect(j.alerts.get(first)!.status).toBe('executed');
    expect(j.alerts.get(queued)).toMatchObject({ status: 'skipped', reasonCode: 'paused' });
    expect(j.alerts.get(queued)!.reason).toMatch(/^received before trading was paused at .*: not executed late after the resume$/);
    expect(j.alerts.get(duringPause)).toMatchObject({ status: 'skipped', reasonCode: 'paused', reason: 'trading is paused (by hand): not executed' });
    expect(sim.orders().map((o) => o.clientOrderId)).toEqual([`pb${first}-0`]);
    expect(existsSync(join(dir.path, 'risk-state.json'))).toBe(true);
  });
});
