import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, spawnServe, type ServeProcess } from '../support/serve-process.js';
import { tempDir } from '../support/temp-dir.js';
import { alert, journalAlertIds, journalOf, post, SECRET } from './support.js';

const run = promisify(execFile);
const cli = (args: string[]) => run(process.execPath, [BIN, ...args], { env: { ...process.env, PINEBRIDGE_NO_KEYCHAIN: '1' } });
const failure = (p: Promise<unknown>) => p.then(() => null, (e: { code: number; stderr: string }) => e);
const env = { PINEBRIDGE_WEBHOOK_SECRET: SECRET };

describe('pinebridge backup and restore', () => {
  let server: ServeProcess | null = null;
  const dirs: { cleanup: () => void }[] = [];
  afterEach(async () => {
    await server?.kill9();
    server = null;
    dirs.splice(0).forEach((d) => d.cleanup());
  });

  it('backs up while the server takes a steady load; the copy passes integrity_check and holds every acknowledged alert', async () => {
    const dir = tempDir();
    const out = tempDir('pinebridge-backup-');
    dirs.push(dir, out);
    server = await spawnServe({ dataDir: dir.path, env });
    const url = server.webhookUrl;

    const ackedBefore: string[] = [];
    for (let i = 0; i < 300; i += 50) {
      const batch = await Promise.all(Array.from({ length: 50 }, (_, j) => post(url, alert({ id: `pre-${i + j}` }))));
      for (const a of batch) if (a.status === 200) ackedBefore.push(a.body.alertId);
    }
    expect(ackedBefore).toHaveLength(300);

    // Keep the server writing during the backup: four senders, alert after alert.
    let loading = true;
    const during: string[] = [];
    const senders = Array.from({ length: 4 }, async (_, s) => {
      for (let n = 0; loading && n < 5000; n++) {
        const a = await post(url, alert({ id: `load-${s}-${n}` }));
        if (a.status === 200) during.push(a.body.alertId);
      }
    });
    const file = join(out.path, 'journal-copy.sqlite');
    const backup = cli(['backup', file, '--data-dir', dir.path]).finally(() => (loading = false));
    const { stdout } = await backup;
    await Promise.all(senders);
    expect(stdout).toContain('online backup');
    expect(stdout).toContain('integrity ok');
    expect(during.length).toBeGreaterThan(0);

    // One self-contained file.
    expect(readdirSync(out.path)).toEqual(['journal-copy.sqlite']);
    const copy = new Database(file, { readonly: true });
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
    copy.close();
    const inCopy = journalAlertIds(file);
    expect(ackedBefore.filter((id) => !inCopy.has(id))).toEqual([]);
    // A snapshot: whatever it holds beyond those was acknowledged too (or in flight), never garbage.
    const known = new Set([...ackedBefore, ...during]);
    const live = journalAlertIds(journalOf(dir.path));
    for (const id of inCopy) expect(live.has(id)).toBe(true);
    expect([...inCopy].filter((id) => !known.has(id)).length).toBeLessThanOrEqual(4);

    // Restore refuses while this server uses the data dir…
    const refused = await failure(cli(['restore', file, '--data-dir', dir.path]));
    expect(refused?.code).toBe(1);
    expect(refused?.stderr).toContain(`pid ${server.proc.pid}`);

    // …and into a stopped server's data dir it puts the copy in place, keeping what it replaced.
    expect(await server.stop()).toBe(0);
    server = null;
    const { stdout: restored } = await cli(['restore', file, '--data-dir', dir.path]);
    expect(restored).toContain('integrity ok');
    const kept = readdirSync(join(dir.path, 'backups')).filter((f) => f.startsWith('journal-before-restore-'));
    expect(kept).toHaveLength(1);
    expect(journalAlertIds(join(dir.path, 'backups', kept[0]!)).size).toBe(live.size);
    expect(journalAlertIds(journalOf(dir.path))).toEqual(inCopy);
    expect(existsSync(journalOf(dir.path) + '-wal')).toBe(false);

    // A server starts on the restored journal and keeps deduplicating against it.
    server = await spawnServe({ dataDir: dir.path, env });
    const again = await post(server.webhookUrl, alert({ id: 'pre-0' }));
    expect(again.body).toEqual({ status: 'duplicate', alertId: ackedBefore[0] });
  });

  it('restore refuses a file that is not a sound Pinebridge journal, and leaves the journal alone', async () => {
    const dir = tempDir();
    dirs.push(dir);
    server = await spawnServe({ dataDir: dir.path, env });
    const acked = await post(server.webhookUrl, alert({ id: 'keep-me' }));
    expect(await server.stop()).toBe(0);
    server = null;

    const junk = join(dir.path, 'junk.sqlite');
    writeFileSync(junk, 'this is not a database, just text '.repeat(200));
    const notDb = await failure(cli(['restore', junk, '--data-dir', dir.path]));
    expect(notDb?.code).toBe(1);
    expect(notDb?.stderr).toMatch(/integrity check|cannot be opened|not a database/i);

    const other = join(dir.path, 'other.sqlite');
    const db = new Database(other);
    db.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1);');
    db.close();
    const foreign = await failure(cli(['restore', other, '--data-dir', dir.path]));
    expect(foreign?.stderr).toContain('not a Pinebridge journal');

    // A damaged copy of a real journal: the alerts table's root page header overwritten.
    const goodFile = join(dir.path, 'good.sqlite');
    const { stdout } = await cli(['backup', goodFile, '--data-dir', dir.path]);
    expect(stdout).toContain('integrity ok');
    const probe = new Database(goodFile, { readonly: true });
    const root = (probe.prepare(`SELECT rootpage FROM sqlite_master WHERE name = 'alerts'`).get() as { rootpage: number }).rootpage;
    const pageSize = probe.pragma('page_size', { simple: true }) as number;
    probe.close();
    const damaged = readFileSync(goodFile);
    damaged.fill(0x5a, (root - 1) * pageSize, (root - 1) * pageSize + 12);
    const bad = join(dir.path, 'bad.sqlite');
    writeFileSync(bad, damaged);
    const corrupt = await failure(cli(['restore', bad, '--data-dir', dir.path]));
    expect(corrupt?.code).toBe(1);
    expect(corrupt?.stderr).toMatch(/integrity|malformed/i);

    expect(journalAlertIds(journalOf(dir.path)).has(acked.body.alertId)).toBe(true);
    expect(existsSync(join(dir.path, 'backups'))).toBe(false);
  });
});
