/**
 * The intake's batches through JournalWriter on both stores: on PostgreSQL one statement per batch
 * (pinebridge_record_alerts) on asynchronous connections, with the same answers as SQLite's
 * AlertStore.record: a duplicate inside the batch, a duplicate of an earlier alert (within its
 * window), two nodes taking the same alert at once, a node waiting for another's open
 * transaction without blocking its event loop, and a batch whose connection is lost (every alert
 * refused, none stored).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { JournalWriter } from '../../main/engine/intake/journal-writer.js';
import { IDEM_LOCK_SEED, duplicateReason } from '../../main/engine/journal/alert-dedup.js';
import type { NewAlert, RecordResult } from '../../main/engine/journal/alerts.js';
import { Journal } from '../../main/engine/journal/journal.js';
import { pgStore } from '../../main/engine/journal/pg-store.js';
import { JournalUnavailableError } from '../../main/engine/journal/sql-port.js';
import { journalStoreFixture } from '../support/journal-stores.js';
import { newAlert } from '../support/new-alert.js';

const { stores, location } = journalStoreFixture('alert batches');

const opened: Journal[] = [];
afterEach(() => {
  while (opened.length) opened.pop()!.close();
});

function open(url: string, verbose?: (sql: string) => void): { journal: Journal; writer: JournalWriter; recorded: RecordResult[][] } {
  const journal = Journal.open(url, verbose ? { verbose } : undefined);
  opened.push(journal);
  const recorded: RecordResult[][] = [];
  return { journal, writer: new JournalWriter(journal, (r) => recorded.push(r)), recorded };
}

/** Submitted in one event-loop turn: one batch. */
const batch = (writer: JournalWriter, alerts: NewAlert[]) => Promise.all(alerts.map((a) => writer.submit(a)));

const rows = (j: Journal) => j.db.prepare(`SELECT id, status, reason_code, reason, duplicate_of FROM alerts ORDER BY seq`).all();

describe.each(stores)('alert batches on %s', (store) => {
  it('a duplicate inside the batch is answered with the first id of the same batch', async () => {
    const statements: string[] = [];
    const { journal, writer, recorded } = open(location(store), (sql) => statements.push(sql));
    statements.length = 0;
    const answers = await batch(writer, [
      newAlert('a1', { idemKey: 'k' }),
      newAlert('a2', { idemKey: 'k' }),
      newAlert('a3', { idemKey: 'other' }),
      newAlert('r1', { idemKey: 'k', status: 'rejected', httpStatus: 400, reasonCode: 'bad', reason: 'refused' }),
      newAlert('n1', { idemKey: null, status: 'rejected', httpStatus: 401, reasonCode: 'auth', reason: 'no secret' }),
    ]);
    const sent = [...statements];
    expect(answers.map((a) => a.outcome)).toEqual(['accepted', 'duplicate', 'accepted', 'rejected', 'rejected']);
    expect(answers[1]).toMatchObject({ firstId: 'a1', alert: { id: 'a2', status: 'duplicate', duplicateOf: 'a1', reason: duplicateReason('a1') } });
    expect(answers.map((a) => a.alert.seq)).toEqual([...answers.map((a) => a.alert.seq)].sort((x, y) => x - y));
    expect(recorded).toEqual([answers]);
    expect(rows(journal)).toEqual([
      { id: 'a1', status: 'accepted', reason_code: null, reason: null, duplicate_of: null },
      { id: 'a2', status: 'duplicate', reason_code: 'duplicate', reason: duplicateReason('a1'), duplicate_of: 'a1' },
      { id: 'a3', status: 'accepted', reason_code: null, reason: null, duplicate_of: null },
      { id: 'r1', status: 'rejected', reason_code: 'bad', reason: 'refused', duplicate_of: null },
      { id: 'n1', status: 'rejected', reason_code: 'auth', reason: 'no secret', duplicate_of: null },
    ]);
    // What the journal answers for the alert is what the batch answered.
    expect(journal.alerts.get('a2')).toMatchObject(answers[1]!.alert);
    if (store === 'postgres') expect(sent).toEqual([expect.stringContaining('pinebridge_record_alerts(')]);
  });

  it('a duplicate of an earlier alert, within its window only; rejected alerts and duplicates are never the first', async () => {
    const { writer } = open(location(store));
    await batch(writer, [newAlert('r0', { idemKey: 'k', status: 'rejected', httpStatus: 400, reasonCode: 'bad', reason: 'x', receivedAt: 500 })]);
    await batch(writer, [newAlert('e1', { idemKey: 'k', receivedAt: 1_000 })]);
    await batch(writer, [newAlert('e2', { idemKey: 'k', receivedAt: 2_000 })]);
    const [again, outside] = await batch(writer, [
      newAlert('e3', { idemKey: 'k', receivedAt: 3_000, idemSince: 1_000 }),
      newAlert('e4', { idemKey: 'k', receivedAt: 3_000, idemSince: 1_001 }),
    ]);
    expect(again).toMatchObject({ outcome: 'duplicate', firstId: 'e1' });
    // e1 is out of e4's window and e2, e3 are duplicates: e4 is a new alert.
    expect(outside).toMatchObject({ outcome: 'accepted', alert: { id: 'e4' } });
  });
});

describe.skipIf(!stores.includes('postgres'))('alert batches on PostgreSQL, several nodes', () => {
  it('two nodes taking the same alerts at the same moment: each accepted once, the other node answers duplicate with its id', async () => {
    const url = location('postgres');
    const a = open(url);
    const b = open(url);
    for (let round = 0; round < 10; round++) {
      const [onA, onB] = await Promise.all([
        batch(a.writer, [newAlert(`a-${round}`, { idemKey: `k${round}` }), newAlert(`a-${round}-x`, { idemKey: `x${round}` })]),
        batch(b.writer, [newAlert(`b-${round}-x`, { idemKey: `x${round}` }), newAlert(`b-${round}`, { idemKey: `k${round}` })]),
      ]);
      for (const [x, y] of [
        [onA[0], onB[1]],
        [onA[1], onB[0]],
      ] as [RecordResult, RecordResult][]) {
        const outcomes = [x.outcome, y.outcome].sort();
        expect(outcomes).toEqual(['accepted', 'duplicate']);
        const [first, dup] = x.outcome === 'accepted' ? [x, y] : [y, x];
        expect(dup).toMatchObject({ firstId: first.alert.id });
      }
    }
    expect(a.journal.db.prepare(`SELECT count(*) AS n FROM alerts WHERE status = 'accepted'`).get()).toEqual({ n: 20 });
  });

  it("waits for another node's open transaction on the key without blocking its event loop, then is that alert's duplicate", async () => {
    const url = location('postgres');
    const other = open(url).journal;
    const { writer } = open(url);
    const pg = pgStore(other.db)!;
    // Another node, mid-transaction: holds the key's lock and has written its alert, not committed.
    pg.query('BEGIN');
    pg.query(`SELECT pg_advisory_xact_lock(hashtextextended('race', ${IDEM_LOCK_SEED}))`);
    pg.query(
      `INSERT INTO alerts (id, received_at, source, idem_key, body, status, http_status, updated_at) VALUES ('first', 1000, 'x', 'race', '{}', 'accepted', 200, 1000)`,
    );
    let answer: RecordResult | null = null;
    const pending = writer.submit(newAlert('second', { idemKey: 'race' })).then((r) => (answer = r));
    let ticks = 0;
    const ticking = setInterval(() => ticks++, 10);
    await new Promise((r) => setTimeout(r, 400));
    clearInterval(ticking);
    expect(answer).toBeNull();
    expect(ticks).toBeGreaterThan(10);
    pg.query('COMMIT');
    await pending;
    expect(answer).toMatchObject({ outcome: 'duplicate', firstId: 'first' });
  });

  it('a batch whose connection is lost mid-statement: every alert refused, none stored, and the next batch goes through', async () => {
    const url = location('postgres');
    const other = open(url).journal;
    const { journal, writer, recorded } = open(url);
    await batch(writer, [newAlert('warm')]);
    const pg = pgStore(other.db)!;
    pg.query('BEGIN');
    pg.query(`SELECT pg_advisory_xact_lock(hashtextextended('held', ${IDEM_LOCK_SEED}))`);
    const settled = Promise.allSettled([newAlert('l1', { idemKey: 'held' }), newAlert('l2'), newAlert('l3')].map((x) => writer.submit(x)));
    const waiting = `FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND wait_event = 'advisory'`;
    // Seen from a connection outside a transaction (inside one, pg_stat_activity is a snapshot).
    const watcher = pgStore(journal.db)!;
    await expect.poll(() => (watcher.query(`SELECT count(*) AS n ${waiting}`).rows[0] as { n: number }).n, { timeout: 10_000 }).toBe(1);
    pg.query(`SELECT pg_terminate_backend(pid) ${waiting}`);
    pg.query('ROLLBACK');
    const answers = await settled;
    expect(answers.map((a) => a.status)).toEqual(['rejected', 'rejected', 'rejected']);
    for (const a of answers) expect((a as PromiseRejectedResult).reason).toBeInstanceOf(JournalUnavailableError);
    for (const id of ['l1', 'l2', 'l3']) expect(journal.alerts.get(id)).toBeNull();
    expect(recorded.flat().map((r) => r.alert.id)).toEqual(['warm']);
    // The lost connection is opened again (after its retry pause): the key is free, the alert is new.
    let n = 0;
    await expect.poll(async () => (await writer.submit(newAlert(`after-${++n}`, { idemKey: 'held' })).catch(() => null))?.outcome, { timeout: 5_000 }).toBe('accepted');
  });
});
