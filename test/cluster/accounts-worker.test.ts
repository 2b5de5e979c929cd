/**
 * The worker per account, on a real PostgreSQL with the engine in this process (paper accounts,
 * real HTTP): another node holds account `alt`'s executor lease, so this node executes `main`'s
 * alerts and leaves `alt`'s accepted in the shared journal; once the other node gives `alt` up,
 * this node takes it (after one extra tick: it already executes `main`) and executes the alert it
 * had left.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExecutorLease } from '../../main/engine/cluster/executor-lease.js';
import { createLogger } from '../../main/engine/core/logging/logger.js';
import { Redactor } from '../../main/engine/core/logging/redactor.js';
import { Journal } from '../../main/engine/journal/journal.js';
import { startHarness, TEST_SECRET } from '../support/engine-harness.js';
import { postgresMissing, startPostgres, type PgCluster } from '../support/postgres.js';

const missing = postgresMissing();
if (missing) console.warn(`\n!!! the worker per account: NOT tested here: ${missing}.\n`);

const alert = (id: string, account?: string) => ({
  secret: TEST_SECRET, strategy: `acc-${id}`, action: 'buy', symbol: 'BINANCE:BTCUSDT', quantity: '0.01', order_type: 'market', price: '65000', id, ...(account ? { account } : {}),
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(missing !== null)('the worker per account on PostgreSQL', () => {
  let pg: PgCluster;
  beforeAll(async () => {
    pg = await startPostgres();
  });
  afterAll(() => pg?.destroy());

  it("executes only the accounts whose lease it holds; takes an account over with the alert left pending", async () => {
    const url = pg.createDatabase();
    const otherJournal = Journal.open(url);
    const logger = createLogger({ level: 'error', console: null, redactor: new Redactor() });
    // The other node can trade `alt` only: it takes that lease first.
    const other = new ExecutorLease({ journal: otherJournal, node: 'other', version: 't', leaseMs: 1000, logger, accounts: () => ['alt'], onGain: () => {} });
    other.start();
    expect(other.holds('alt')).toBe(true);
    const h = await startHarness({ databaseUrl: url, overrides: { accounts: [{ name: 'alt' }], cluster: { node: 'here', leaseSec: 1 } } });
    try {
      const readyz = async () => (await (await fetch(`${h.url}/readyz`)).json()) as { accounts?: string[]; executors?: Record<string, string | null> };
      await expect.poll(async () => (await readyz()).accounts, { timeout: 10_000 }).toEqual(['main']);
      expect((await readyz()).executors).toEqual({ alt: 'other', main: 'here' });
      const main = await h.post(alert('m1'));
      const alt = await h.post(alert('a1', 'alt'));
      expect([main.status, alt.status]).toEqual([200, 200]);
      const j = h.engine.journal();
      const status = (id: string) => j.alerts.get(id)?.status;
      await expect.poll(() => status(main.body.alertId), { timeout: 10_000 }).toBe('executed');
      // `alt` is the other node's: nothing done here, not even an intent.
      await sleep(1_500);
      expect(status(alt.body.alertId)).toBe('accepted');
      expect(j.intents.forAlert(alt.body.alertId)).toEqual([]);
      expect(j.intents.forAlert(main.body.alertId).map((i) => i.account)).toEqual(['main']);
      // The other node gives `alt` up: this node takes it and executes what it had left.
      other.stop();
      await expect.poll(async () => (await readyz()).accounts, { timeout: 10_000 }).toEqual(['alt', 'main']);
      await expect.poll(() => status(alt.body.alertId), { timeout: 10_000 }).toBe('executed');
      expect(j.intents.forAlert(alt.body.alertId).map((i) => i.account)).toEqual(['alt']);
    } finally {
      other.stop();
      await h.close();
      otherJournal.close();
    }
  });
});
