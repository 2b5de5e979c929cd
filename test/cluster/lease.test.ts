/**
 * The executor lease and its fence, on a real PostgreSQL (two Journal connections = two nodes)
 * and on SQLite: one holder at a time, a take-over raises the epoch, and the old holder's intent
 * writes are refused with nothing written, even the ones it starts before it notices.
 */
import { describe, expect, it } from 'vitest';
import { Journal } from '../../main/engine/journal/journal.js';
import { LeaseLostError, LeaseStore } from '../../main/engine/journal/leases.js';
import { ExecutorLease } from '../../main/engine/cluster/executor-lease.js';
import { createLogger } from '../../main/engine/core/logging/logger.js';
import { Redactor } from '../../main/engine/core/logging/redactor.js';
import { journalStoreFixture } from '../support/journal-stores.js';

const { stores, location } = journalStoreFixture('executor lease');

const intent = (id: string) => ({
  clientOrderId: id, alertId: 'a1', leg: 0, account: 'main', mode: 'live' as const, exchange: 'binance', strategy: 's1', symbol: 'BTC/USDT',
  side: 'buy' as const, type: 'market' as const, amount: 0.5, price: null, triggerPrice: null, params: {}, purpose: 'entry' as const, createdAt: 1_100,
});
/** A journal with the alert the intents belong to. */
function open(where: string, first: boolean): Journal {
  const j = Journal.open(where);
  if (first) {
    j.alerts.record({
      id: 'a1', receivedAt: 1_000, source: '127.0.0.1', dialect: 'native', strategy: 's1', action: 'buy', symbol: 'BTC/USDT', idemKey: 'k-a1', idemSince: 0,
      body: '{}', signal: { strategy: 's1' }, status: 'accepted', httpStatus: 200, reasonCode: null, reason: null,
    });
  }
  return j;
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(stores)('executor lease on %s', (store) => {
  it('one holder at a time; a take-over after the lease lapses raises the epoch and fences the old holder out', async () => {
    const where = location(store);
    const a = open(where, true);
    const b = store === 'postgres' ? open(where, false) : a;
    const la = new LeaseStore(a.db, a.kind);
    const lb = new LeaseStore(b.db, b.kind);
    const first = la.acquire('executor', 'a', 300);
    expect(first).toMatchObject({ node: 'a', epoch: 1 });
    // Renewing keeps the epoch; another node is refused while it runs.
    expect(la.acquire('executor', 'a', 300)).toMatchObject({ node: 'a', epoch: 1 });
    expect(lb.acquire('executor', 'b', 300)).toBeNull();
    la.check('executor', 'a', 1);
    await sleep(400);
    // 'a' stopped renewing (paused, cut off): 'b' takes it with a new epoch.
    expect(lb.acquire('executor', 'b', 10_000)).toMatchObject({ node: 'b', epoch: 2 });
    expect(() => la.check('executor', 'a', 1)).toThrow(LeaseLostError);
    expect(la.acquire('executor', 'a', 300)).toBeNull();
    // The old holder's intent write, with its epoch's fence: refused, and nothing written.
    a.intents.fence = () => la.check('executor', 'a', 1);
    expect(() => a.intents.insert([intent('late')])).toThrow(LeaseLostError);
    expect(() => a.asExecutor(() => a.alerts.setStatus('a1', 'executed', null, null, 2_000))).toThrow(LeaseLostError);
    a.intents.fence = null;
    expect(a.intents.get('late')).toBeNull();
    // The new holder writes.
    b.intents.fence = () => lb.check('executor', 'b', 2);
    b.intents.insert([intent('mine')]);
    expect(b.intents.get('mine')).toMatchObject({ status: 'pending' });
    // A graceful stop gives it up at once.
    lb.release('executor', 'b', 2);
    expect(la.acquire('executor', 'a', 300)).toMatchObject({ node: 'a', epoch: 3 });
    a.close();
    if (b !== a) b.close();
  });

  it('ExecutorLease: a standby writes nothing; the holder gains with a new epoch, and loses when another node takes over', async () => {
    const where = location(store);
    const a = open(where, true);
    const b = open(where, false);
    const logger = createLogger({ level: 'error', console: null, redactor: new Redactor() });
    const events: string[] = [];
    const na = new ExecutorLease({ journal: a, node: 'na', version: 't', leaseMs: 400, logger, onGain: () => events.push('a+'), onLose: () => events.push('a-') });
    const nb = new ExecutorLease({ journal: b, node: 'nb', version: 't', leaseMs: 400, logger, onGain: () => events.push('b+'), onLose: () => events.push('b-') });
    // Before any tick neither may write.
    expect(() => a.intents.insert([intent('x')])).toThrow(LeaseLostError);
    na.start();
    nb.start();
    await sleep(50);
    expect(na.holds()).toBe(true);
    expect(nb.holds()).toBe(false);
    a.intents.insert([intent('by-a')]);
    expect(() => b.intents.insert([intent('by-b')])).toThrow(LeaseLostError);
    expect(nb.brief()).toMatchObject({ node: 'nb', role: 'standby', executor: 'na' });
    // 'na' stops renewing without giving the lease up (as if paused): 'nb' takes over after it lapses.
    clearInterval((na as unknown as { timer: NodeJS.Timeout }).timer);
    await sleep(700);
    expect(nb.holds()).toBe(true);
    expect(na.holds()).toBe(false);
    expect(() => a.intents.insert([intent('late')])).toThrow(LeaseLostError);
    b.intents.insert([intent('by-b')]);
    expect(events).toEqual(['a+', 'b+', 'a-']);
    expect(nb.status().lastFailoverMs).toBeGreaterThan(0);
    // Each node's row: the paused one's heartbeat stopped when it did.
    const rows = nb.status().nodes;
    expect(rows.map((n) => n.node)).toEqual(['na', 'nb']);
    expect(rows[1]).toMatchObject({ role: 'executor', version: 't' });
    expect(rows[0]!.heartbeatAt).toBeLessThan(rows[1]!.heartbeatAt);
    nb.stop();
    na.stop();
    a.close();
    b.close();
  });
});
