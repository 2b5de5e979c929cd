import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeepPartial, Settings } from '../../main/engine/core/config.js';
import { createEngine } from '../../main/engine/engine.js';
import { Journal } from '../../main/engine/journal/journal.js';
import { createMemoryStore } from '../../main/engine/secrets/index.js';
import { readSignal } from '../../main/engine/signals/read-alert.js';
import { NO_LIMITS } from '../../shared/api.js';
import { tempDir } from '../support/temp-dir.js';
import { buy, EXACT_PAPER, ManualClock, SECRET, startRisk, type RiskHarness } from './risk-harness.js';

/**
 * One alert-age setting (`limits.maxAlertAgeSec`) for every age check, through real engines on one
 * data dir: an alert without `time` is as old as it has waited since it arrived, whether it is
 * refused before planning (the gate) or its order is about to be sent (pre-send). The waiting is
 * made real: the alert (and its order) are journaled as an engine would have left them, then an
 * engine starts on that journal later.
 */

let h: RiskHarness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

const settings = (maxAlertAgeSec: number | null, more: DeepPartial<Settings> = {}): DeepPartial<Settings> => ({
  ...EXACT_PAPER,
  ...more,
  limits: { ...NO_LIMITS, maxAlertAgeSec },
});

/** An accepted alert as the intake journals it, received at `receivedAt`, not yet executed. */
function journalAccepted(dataDir: string, body: Record<string, unknown>, receivedAt: number): string {
  const read = readSignal(body);
  if (!read.ok) throw new Error(read.rejection.message);
  const j = Journal.open(join(dataDir, 'journal.sqlite'));
  try {
    const id = `age-${receivedAt}-${Math.random().toString(36).slice(2, 8)}`;
    const r = j.alerts.record({
      id,
      receivedAt,
      source: '127.0.0.1',
      dialect: read.signal.dialect,
      strategy: read.signal.strategy,
      action: read.signal.action ?? null,
      symbol: read.signal.symbol,
      idemKey: `test:${id}`,
      idemSince: 0,
      body: JSON.stringify(body),
      signal: read.signal,
      status: 'accepted',
      httpStatus: 200,
      reasonCode: null,
      reason: null,
    });
    expect(r.outcome).toBe('accepted');
    return id;
  } finally {
    j.close();
  }
}

const SLOW = { name: 'slow', symbol: 'BINANCE:SOLUSDT', quantity: '1', limits: { maxAlertAgeSec: 600 } };

describe('the max alert age bounds an alert without time by how long it waited', () => {
  it('refused at the gate once it has waited past the limit since it arrived; at the limit it executes', async () => {
    const clock = new ManualClock();
    h = await startRisk({ overrides: settings(60), clock });
    const dataDir = h.dataDir;
    await h.close(false);
    const sol = { strategy: 'ma-cross', action: 'buy', symbol: 'BINANCE:SOLUSDT', price: '100', quantity: '1' };
    const waited = journalAccepted(dataDir, { ...sol, id: 'waited-61' }, clock.now() - 61_000);
    const edge = journalAccepted(dataDir, { ...sol, id: 'waited-60' }, clock.now() - 60_000);

    h = await startRisk({ overrides: settings(60), clock, dataDir });
    await h.engine.executionIdle();
    const stale = h.engine.journal().alerts.get(waited)!;
    expect(stale.status).toBe('skipped');
    expect(stale.reasonCode).toBe('risk_max_alert_age');
    expect(stale.reason).toBe(
      `the alert has waited 61 s since it was received (at ${new Date(clock.now() - 61_000).toISOString()}; it has no time field), above the max alert age of 60 s (account main): stale, not executed; raise Settings > Limits > max alert age, or check the alert's time field and this machine's clock`,
    );
    expect(h.intents(waited)).toEqual([]);
    const ok = h.engine.journal().alerts.get(edge)!;
    expect(ok.status, ok.reason ?? '').toBe('executed');
    expect(h.position('ma-cross', 'SOL/USDT').qty).toBe(1);
  });

  it("a strategy's own max alert age governs its alerts' waiting too; with the limit off nothing is refused for age", async () => {
    const clock = new ManualClock();
    h = await startRisk({ overrides: settings(60, { strategies: [SLOW] }), clock });
    const dataDir = h.dataDir;
    await h.close(false);
    const body = { strategy: 'slow', action: 'buy', symbol: 'BINANCE:SOLUSDT', price: '100', quantity: '1', id: 'slow-1' };
    const slow = journalAccepted(dataDir, body, clock.now() - 300_000);
    const other = journalAccepted(dataDir, { ...body, strategy: 'ma-cross', id: 'fast-1' }, clock.now() - 300_000);

    h = await startRisk({ overrides: settings(60, { strategies: [SLOW] }), clock, dataDir });
    await h.engine.executionIdle();
    expect(h.engine.journal().alerts.get(slow)!.status).toBe('executed');
    const refused = h.engine.journal().alerts.get(other)!;
    expect(refused.reasonCode).toBe('risk_max_alert_age');
    expect(refused.reason).toContain('has waited 300 s since it was received');
    await h.close(false);

    const late = journalAccepted(dataDir, { ...body, strategy: 'ma-cross', id: 'fast-2' }, clock.now() - 3_600_000);
    h = await startRisk({ overrides: settings(null), clock, dataDir });
    await h.engine.executionIdle();
    const run = h.engine.journal().alerts.get(late)!;
    expect(run.status, run.reason ?? '').toBe('executed');
  });

  it('an order written but never sent is not sent once its alert has waited past the max alert age (the same setting)', async () => {
    const clock = new ManualClock();
    h = await startRisk({ overrides: settings(60), clock });
    // A real intent of a real alert, as a template for one left unsent by a crash.
    const done = await h.run(buy({ symbol: 'BINANCE:SOLUSDT', price: '100', quantity: '1' }));
    expect(done.status, done.reason ?? '').toBe('executed');
    const template = h.intents(done.id)[0]!;
    const dataDir = h.dataDir;
    await h.close(false);

    const body = { strategy: 'ma-cross', action: 'buy', symbol: 'BINANCE:SOLUSDT', price: '100', quantity: '1', id: 'unsent-1' };
    const receivedAt = clock.now() - 90_000;
    const id = journalAccepted(dataDir, body, receivedAt);
    const j = Journal.open(join(dataDir, 'journal.sqlite'));
    j.alerts.setStatus(id, 'executing', null, null, receivedAt + 10);
    j.intents.insert([
      {
        clientOrderId: `${template.clientOrderId.slice(0, 20)}unsent`,
        alertId: id,
        leg: 0,
        account: template.account,
        mode: template.mode,
        exchange: template.exchange,
        strategy: template.strategy,
        symbol: template.symbol,
        side: template.side,
        type: template.type,
        amount: template.amount,
        price: template.price,
        triggerPrice: template.triggerPrice,
        params: template.params,
        purpose: template.purpose,
        createdAt: receivedAt + 10,
      },
    ]);
    j.close();

    h = await startRisk({ overrides: settings(60), clock, dataDir });
    await h.engine.executionIdle();
    const [intent] = h.intents(id);
    expect(intent?.status).toBe('failed');
    expect(intent?.errorCode).toBe('too_old');
    expect(intent?.errorMessage).toMatch(/^not sent: the alert has waited 90 s since it was received .*above the max alert age of 60 s \(account main\)/);
    expect(intent?.filled).toBe(0);
    // Only the first alert's unit: the unsent order never reached the paper exchange.
    expect(h.position('ma-cross', 'SOL/USDT').qty).toBe(1);
  });
});

describe('the retired execution.maxSignalAgeSec', () => {
  it('still loads, is not read, and a start with it set says so in the log', async () => {
    const dir = tempDir('pinebridge-age-');
    const engine = await createEngine({
      dataDir: dir.path,
      overrides: { ...settings(60), execution: { maxSignalAgeSec: 3600 }, webhook: { port: 0 }, control: { port: 0 } },
      secrets: createMemoryStore(),
      webhookSecret: SECRET,
      log: { console: null, level: 'info', file: false },
    });
    const warnings: string[] = [];
    engine.events.subscribe((e) => {
      if (e.type === 'log' && e.entry.level === 'warn') warnings.push(e.entry.msg);
    });
    try {
      await engine.start();
      expect(warnings.filter((m) => m.includes('maxSignalAgeSec'))).toEqual([
        'execution.maxSignalAgeSec in settings.json is no longer read: the max alert age (Settings > Limits, limits.maxAlertAgeSec) bounds every age check, an alert without a time field by how long it has waited since it arrived',
      ]);
    } finally {
      await engine.stop();
      dir.cleanup();
    }
  });
});
