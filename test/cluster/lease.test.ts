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
    expect(() => a.asExecutor({ account: 'main' }, () => a.alerts.setStatus('a1', 'executed', null, null, 2_000))).toThrow(LeaseLostError);
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

describe.each(stores)('executor lease per account on %s', (store) => {
  let leg = 10;
  // Each its own leg: intents are unique per alert and leg.
  const forAccount = (id: string, account: string) => ({ ...intent(id), account, leg: leg++ });

  it('two accounts, two nodes: each account has one executor, they spread, and a paused executor of one account moves only its lease', async () => {
    const where = location(store);
    const a = open(where, true);
    const b = open(where, false);
    const logger = createLogger({ level: 'error', console: null, redactor: new Redactor() });
    const gained: Record<string, string[]> = { na: [], nb: [] };
    const lost: Record<string, string[]> = { na: [], nb: [] };
    const accounts = () => ['main', 'alt'];
    const make = (j: Journal, node: string) =>
      new ExecutorLease({ journal: j, node, version: 't', leaseMs: 600, logger, accounts, onGain: (g) => gained[node]!.push(...g), onLose: (_w, l) => lost[node]!.push(...l) });
    const na = make(a, 'na');
    na.start();
    // 'na' alone holds nothing yet: it takes every free account at once.
    expect(na.status().held).toEqual(['alt', 'main']);
    // 'na' gives 'alt' up (a graceful hand-over): 'nb', holding none, takes it on its first tick; 'na' waits a tick before taking a free one again.
    const nb = make(b, 'nb');
    const altLease = new LeaseStore(a.db, a.kind).get('executor:alt')!;
    new LeaseStore(a.db, a.kind).release('executor:alt', 'na', altLease.epoch);
    nb.start();
    expect(nb.status().held).toEqual(['alt']);
    await sleep(400);
    expect(na.holds('main')).toBe(true);
    expect(na.holds('alt')).toBe(false);
    expect(nb.holds('alt')).toBe(true);
    expect(nb.holds('main')).toBe(false);
    // Each node writes the intents of its account only; the other account's write is refused, nothing written.
    a.intents.insert([forAccount('main-1', 'main')]);
    b.intents.insert([forAccount('alt-1', 'alt')]);
    expect(() => a.intents.insert([forAccount('alt-by-a', 'alt')])).toThrow(LeaseLostError);
    expect(() => b.intents.insert([forAccount('main-by-b', 'main')])).toThrow(LeaseLostError);
    expect(() => b.intents.markSending('main-1', 2_000)).toThrow(LeaseLostError);
    expect(() => a.intents.setStatus('alt-1', 'failed', null, 2_000)).toThrow(LeaseLostError);
    expect(a.intents.get('alt-by-a')).toBeNull();
    expect(b.intents.get('main-by-b')).toBeNull();
    expect(a.intents.get('main-1')).toMatchObject({ status: 'pending' });
    expect(a.intents.get('alt-1')).toMatchObject({ status: 'pending' });
    b.intents.markSending('alt-1', 2_000);
    // The send fence: the lease time left at that check, by this node's clock.
    const w = nb.sendWindow('alt')!;
    expect(w.remainingMs).toBeGreaterThan(0);
    expect(w.remainingMs).toBeLessThanOrEqual(450);
    expect(nb.sendWindow('main')).toBeNull();
    // The readiness brief and the status per account.
    expect(na.brief()).toMatchObject({ node: 'na', role: 'executor', accounts: ['main'], executors: { main: 'na', alt: 'nb' } });
    expect(nb.status().accounts).toEqual([
      { account: 'alt', executor: 'nb', epoch: 2 },
      { account: 'main', executor: 'na', epoch: null },
    ]);
    // 'nb' stops renewing (paused): only 'alt' moves, to 'na', with a new epoch; 'main' keeps its epoch.
    const mainEpoch = new LeaseStore(a.db, a.kind).get('executor:main')!.epoch;
    clearInterval((nb as unknown as { timer: NodeJS.Timeout }).timer);
    await sleep(1_200);
    expect(na.status().held).toEqual(['alt', 'main']);
    expect(nb.holds('alt')).toBe(false);
    expect(new LeaseStore(a.db, a.kind).get('executor:main')!.epoch).toBe(mainEpoch);
    expect(new LeaseStore(a.db, a.kind).get('executor:alt')).toMatchObject({ node: 'na', epoch: 3 });
    expect(() => b.intents.setStatus('alt-1', 'failed', null, 3_000)).toThrow(LeaseLostError);
    a.intents.setStatus('alt-1', 'failed', null, 3_000);
    expect(gained).toEqual({ na: ['alt', 'main', 'alt'], nb: ['alt'] });
    expect(lost.nb).toEqual(['alt']);
    // 'na' saw 'alt' taken from it (released behind its back) on its next tick, and nothing else.
    expect(lost.na).toEqual(['alt']);
    na.stop();
    nb.stop();
    a.close();
    b.close();
  });
});
