import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lockOwner } from '../../main/engine/core/lock.js';
import { spawnServe, type ServeProcess } from '../support/serve-process.js';
import { tempDir } from '../support/temp-dir.js';
import { alert, journalAlertIds, journalOf, post, slowPost, until, type Answer } from './support.js';

const env = { PINEBRIDGE_WEBHOOK_SECRET: 'ops-test-secret-0123456789abcdef' };

describe('graceful shutdown of pinebridge serve', () => {
  let server: ServeProcess | null = null;
  const dirs: { cleanup: () => void }[] = [];
  afterEach(async () => {
    await server?.kill9();
    server = null;
    dirs.splice(0).forEach((d) => d.cleanup());
  });

  it('on SIGTERM answers new alerts 503 + Retry-After while it finishes the one in flight, then exits 0', async () => {
    const dir = tempDir();
    dirs.push(dir);
    server = await spawnServe({ dataDir: dir.path, env });
    const exited = new Promise<number | null>((resolve) => server!.proc.once('exit', (code) => resolve(code)));

    // An alert whose body is still arriving when the signal comes.
    const inFlight = slowPost(server.webhookUrl, alert({ id: 'in-flight' }));
    await until(async () => (await fetch(server!.baseUrl + '/healthz')).ok, 'the server to be up');
    await new Promise((r) => setTimeout(r, 100)); // let the request reach the handler
    server.proc.kill('SIGTERM');

    const refused = await until(async () => {
      const a = await post(server!.webhookUrl, alert({ id: 'during-drain' }));
      return a.status === 503 ? a : null;
    }, 'a 503 while draining');
    expect(refused.body.error.code).toBe('shutting_down');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const ready = await fetch(server.baseUrl + '/readyz');
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { error: { message: string } }).error.message).toContain('shutting down');

    inFlight.finish();
    const answered = await inFlight.answer;
    expect(answered.status).toBe(200);
    expect(answered.body.status).toBe('accepted');
    expect(await exited).toBe(0);

    // The journal was closed cleanly: its WAL was checkpointed away.
    expect(existsSync(journalOf(dir.path) + '-wal')).toBe(false);
    expect(lockOwner(join(dir.path, 'pinebridge.lock'))).toBeNull();
    const ids = journalAlertIds(journalOf(dir.path));
    expect(ids.has(answered.body.alertId)).toBe(true);
  });

  it('loses nothing it acknowledged when SIGTERM lands in the middle of a burst', async () => {
    const dir = tempDir();
    dirs.push(dir);
    server = await spawnServe({ dataDir: dir.path, env });
    const proc = server.proc;
    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    const answers: (Answer | null)[] = [];
    let acks = 0;
    let sent = 0;
    // Eight senders, each firing alert after alert on new connections, until the server stops
    // taking them; the signal lands after the 100th acknowledgement, with requests in flight.
    const sender = async () => {
      while (sent < 3000) {
        const n = sent++;
        const a = await post(server!.webhookUrl, alert({ id: `burst-${n}`, strategy: `s${n % 5}` })).catch(() => null);
        answers.push(a);
        if (a?.status === 200 && ++acks === 100) proc.kill('SIGTERM');
        if (!a || a.status !== 200) return;
      }
    };
    await Promise.all(Array.from({ length: 8 }, sender));
    expect(await exited).toBe(0);

    const accepted = answers.filter((a): a is Answer => a?.status === 200);
    expect(accepted.length).toBeGreaterThanOrEqual(100);
    for (const a of answers) if (a && a.status !== 200) expect([503]).toContain(a.status);
    const ids = journalAlertIds(journalOf(dir.path));
    expect(accepted.map((a) => a.body.alertId).filter((id: string) => !ids.has(id))).toEqual([]);
    // None of the 503 ones was taken: the journal holds exactly the acknowledged alerts.
    expect(ids).toEqual(new Set(accepted.map((a) => a.body.alertId)));
  });

  it('exits at once on a second SIGTERM, even with a request still in flight', async () => {
    const dir = tempDir();
    dirs.push(dir);
    server = await spawnServe({ dataDir: dir.path, env });
    const exited = new Promise<number | null>((resolve) => server!.proc.once('exit', (code) => resolve(code)));
    const acked = await post(server.webhookUrl, alert({ id: 'before' }));
    expect(acked.status).toBe(200);

    const stuck = slowPost(server.webhookUrl, alert({ id: 'never-finished' }));
    stuck.answer.catch(() => undefined);
    await new Promise((r) => setTimeout(r, 100));
    server.proc.kill('SIGTERM');
    await until(async () => (await post(server!.webhookUrl, alert())).status === 503, 'draining');
    server.proc.kill('SIGTERM');
    // The first stop would wait for the stuck request (up to the 10 s grace); the second does not.
    expect(await exited).toBe(1);
    await expect(stuck.answer).rejects.toThrow();
    expect(journalAlertIds(journalOf(dir.path)).has(acked.body.alertId)).toBe(true);
  });
});
