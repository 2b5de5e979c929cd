/**
 * The webhook on a PostgreSQL journal (real cluster, real HTTP): an alert is answered 200 only
 * once PostgreSQL committed it; while the database is down the answer is 503 with Retry-After and
 * `journal_unavailable`, never 200; once it is back the same node takes alerts again (the client
 * reconnects). Two nodes on one database take the same alert once.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, TEST_SECRET, type Harness } from '../support/engine-harness.js';
import { Journal } from '../../main/engine/journal/journal.js';
import { postgresMissing, startPostgres, type PgCluster } from '../support/postgres.js';
import { spawnServe } from '../support/serve-process.js';
import { tempDir } from '../support/temp-dir.js';

const missing = postgresMissing();
if (missing) console.warn(`\n!!! webhook on PostgreSQL: NOT tested here: ${missing}.\n`);

const alert = (id: string) => ({
  secret: TEST_SECRET,
  strategy: 'pg-intake',
  action: 'buy',
  symbol: 'BINANCE:BTCUSDT',
  quantity: '0.01',
  order_type: 'market',
  price: '65000',
  id,
});

describe.skipIf(missing !== null)('webhook on a PostgreSQL journal', () => {
  let pg: PgCluster;
  beforeAll(async () => {
    pg = await startPostgres();
  });
  afterAll(() => pg?.destroy());

  it('answers 503 journal_unavailable with Retry-After while PostgreSQL is down, then 200 again once it is back', async () => {
    const h = await startHarness({ databaseUrl: pg.createDatabase() });
    try {
      const before = await h.post(alert('before'));
      expect(before.status).toBe(200);
      pg.stop();
      // Long enough for the engine's own timers (worker, metrics feed, reconciliation) to hit the
      // unreachable database too: the node stays up and keeps answering.
      for (const id of ['down-1', 'down-2', 'down-3']) {
        await new Promise((r) => setTimeout(r, 1500));
        const down = await h.post(alert(id));
        expect(down.status).toBe(503);
        expect(down.headers.get('retry-after')).toMatch(/^\d+$/);
        expect(down.body).toMatchObject({ error: { code: 'journal_unavailable' } });
      }
      pg.start();
      await expect
        .poll(async () => (await h.post(alert('after'))).status, { timeout: 10_000, interval: 300 })
        .toBe(200);
      const after = await h.post(alert('after'));
      expect(after.body).toMatchObject({ status: 'duplicate' });
      const j = h.engine.journal();
      // The intake's connections and the store's come back each on its own (the store's at its
      // next statement after its retry pause): read once the store's is back too.
      await expect.poll(() => j.db.prepare('SELECT 1 AS ok').get(), { timeout: 5_000 }).toEqual({ ok: 1 });
      // Nothing of the outage was taken: the journal holds the alert before it and the one after.
      const rows = (j.db.prepare(`SELECT id, body FROM alerts WHERE status <> 'duplicate' ORDER BY seq`).all() as { id: string; body: string }[]).map(
        (r) => [r.id, (JSON.parse(r.body) as { id: string }).id],
      );
      expect(rows.map((r) => r[1])).toEqual(['before', 'after']);
      expect(after.body.alertId).toBe(rows[1]?.[0]);
    } finally {
      await h.close();
    }
  });

  it('alerts arriving together while PostgreSQL is down: every one of them 503, none journaled or executed once it is back', async () => {
    const h = await startHarness({ databaseUrl: pg.createDatabase() });
    try {
      const before = await h.post(alert('warm'));
      expect(before.status).toBe(200);
      pg.stop();
      const ids = ['t1', 't2', 't3', 't4', 't5', 't6'];
      const down = await Promise.all(ids.map((id) => h.post(alert(id))));
      expect(down.map((r) => r.status)).toEqual(ids.map(() => 503));
      for (const r of down) expect(r.body).toMatchObject({ error: { code: 'journal_unavailable' } });
      pg.start();
      await expect.poll(async () => (await h.post(alert('back'))).status, { timeout: 10_000, interval: 300 }).toBe(200);
      const j = h.engine.journal();
      const taken = () => (j.db.prepare(`SELECT id, body, status FROM alerts ORDER BY seq`).all() as { id: string; body: string; status: string }[]).map((r) => ({ ...r, tag: (JSON.parse(r.body) as { id: string }).id }));
      // The two alerts taken are executed (their orders are the only ones); none of the refused ones is anywhere.
      await expect.poll(() => taken().map((r) => r.status), { timeout: 10_000 }).toEqual(['executed', 'executed']);
      expect(taken().map((r) => r.tag)).toEqual(['warm', 'back']);
      const executedFor = j.db.prepare(`SELECT DISTINCT alert_id FROM order_intents ORDER BY alert_id`).all() as { alert_id: string }[];
      expect(executedFor.map((r) => r.alert_id)).toEqual(taken().map((r) => r.id).sort());
    } finally {
      await h.close();
    }
  });

  it('two nodes on one database: the same alert is accepted by one and answered duplicate, with the first id, by the other', async () => {
    const url = pg.createDatabase();
    const nodes: Harness[] = [await startHarness({ databaseUrl: url }), await startHarness({ databaseUrl: url })];
    try {
      const [a, b] = nodes as [Harness, Harness];
      const answers = await Promise.all([a.post(alert('both')), b.post(alert('both'))]);
      expect(answers.map((r) => r.status)).toEqual([200, 200]);
      const statuses = answers.map((r) => r.body.status).sort();
      expect(statuses).toEqual(['accepted', 'duplicate']);
      const first = answers.find((r) => r.body.status === 'accepted')?.body.alertId;
      const dup = answers.find((r) => r.body.status === 'duplicate')?.body.alertId;
      expect(dup).toBe(first);
    } finally {
      for (const n of nodes) await n.close();
    }
  });

  it('pinebridge serve --database: the journal is the database, its password never printed', async () => {
    const url = pg.createDatabase().replace('postgres@', 'postgres:not-shown-pw@');
    const dir = tempDir('pinebridge-serve-pg-');
    const serve = await spawnServe({ dataDir: dir.path, args: ['--database', url, '--tunnel', 'none'], env: { PINEBRIDGE_WEBHOOK_SECRET: TEST_SECRET } });
    try {
      const res = await fetch(serve.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(alert('served')) });
      expect(res.status).toBe(200);
      const { alertId } = (await res.json()) as { alertId: string };
      const j = Journal.open(url);
      expect(j.alerts.get(alertId)).toMatchObject({ status: expect.stringMatching(/accepted|executing|executed/), strategy: 'pg-intake' });
      j.close();
      expect(serve.output()).toContain(`Journal: PostgreSQL ${url.replace(':not-shown-pw@', ':***@')}`);
    } finally {
      expect(await serve.stop()).toBe(0);
    }
    expect(serve.output()).not.toContain('not-shown-pw');
    // Nor in anything written to the data dir (logs, settings).
    const files = readdirSync(dir.path, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(readFileSync(join(f.parentPath, f.name), 'utf8'), f.name).not.toContain('not-shown-pw');
    dir.cleanup();
  });
});
