/**
 * Reliability: the data dir itself, through `pinebridge serve`. A server that is PID 1 in its own
 * PID namespace (a container) and is killed with SIGKILL starts again as PID 1; a live one still
 * keeps a second one out. A journal with a garbage page stops the start with the restore command,
 * and is left byte for byte as it was. The start's quick_check runs after an unclean stop (or a
 * journal changed since), not after a clean one. Open permissions are made owner-only on start.
 */
import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { chmodSync, closeSync, copyFileSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { alert, post, SECRET, until } from '../ops/support.js';
import { readAlerts } from '../support/journal-reader.js';
import { BIN, spawnServe, type ServeProcess } from '../support/serve-process.js';
import { tempDir } from '../support/temp-dir.js';

const run = promisify(execFile);
const IS_ROOT = process.getuid?.() === 0;
const PID1 = ['unshare', '--pid', '--fork', '--mount-proc', '--kill-child'];
const ENV = { PINEBRIDGE_WEBHOOK_SECRET: SECRET };

if (!IS_ROOT) console.warn('[reliability/data-dir] NOT ROOT: the PID-namespace case is SKIPPED (unshare --pid needs root)');

const servers: ServeProcess[] = [];
const cleanups: (() => void)[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.kill9();
  for (const c of cleanups.splice(0)) c();
});

function dataDir(): string {
  const dir = tempDir('pinebridge-rel-dir-');
  cleanups.push(dir.cleanup);
  return dir.path;
}

async function serve(dir: string, wrap?: string[]): Promise<ServeProcess> {
  const s = await spawnServe({ dataDir: dir, env: ENV, ...(wrap ? { wrap } : {}) });
  servers.push(s);
  return s;
}

/** `pinebridge serve` that is expected to refuse to start: its exit code and what it printed. */
async function refusedStart(dir: string, wrap: string[] = []): Promise<{ code: number; stderr: string }> {
  const [cmd, ...prefix] = [...wrap, process.execPath];
  return run(cmd!, [...prefix, BIN, 'serve', '--data-dir', dir, '--webhook-port', '0', '--control-port', '0'], {
    env: { ...process.env, PINEBRIDGE_NO_KEYCHAIN: '1', ...ENV },
    timeout: 30_000,
  }).then(
    (r) => ({ code: 0, stderr: r.stderr + r.stdout }),
    (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
  );
}

/** The alerts table's root page overwritten with garbage, in place. */
function overwriteAlertsRoot(journal: string): void {
  const db = new Database(journal, { readonly: true });
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const root = (db.prepare(`SELECT rootpage FROM sqlite_master WHERE name = 'alerts'`).get() as { rootpage: number }).rootpage;
  db.close();
  const fd = openSync(journal, 'r+');
  writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (root - 1) * pageSize);
  closeSync(fd);
}

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('reliability: the data dir', () => {
  it.skipIf(!IS_ROOT)('a PID-1 server killed with SIGKILL starts again as PID 1 and keeps its alerts; a live PID-1 server keeps another PID 1 out', async () => {
    const dir = dataDir();
    const first = await serve(dir, PID1);
    const a = await post(first.webhookUrl, alert({ id: 'before-crash' }));
    expect(a.status).toBe(200);
    expect(readFileSync(join(dir, 'pinebridge.pid'), 'utf8').trim()).toBe('1');

    // Same pid, other namespace, while the first one lives: refused, by the kernel's lock.
    const second = await refusedStart(dir, PID1);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('Another Pinebridge (pid 1) is using this data dir.');

    await first.kill9();
    const again = await serve(dir, PID1);
    const b = await post(again.webhookUrl, alert({ id: 'after-crash' }));
    expect(b.status).toBe(200);
    const ids = readAlerts(dir).map((r) => r.id);
    expect(ids).toEqual(expect.arrayContaining([a.body.alertId, b.body.alertId]));
  });

  it('a journal with a garbage page stops the start with the restore command, and is not changed; restoring the backup makes it start', async () => {
    const dir = dataDir();
    const s = await serve(dir);
    for (let i = 0; i < 300; i++) expect((await post(s.webhookUrl, alert({ id: `c-${i}`, comment: 'x'.repeat(200) }))).status).toBe(200);
    await run(process.execPath, [BIN, 'backup', '--data-dir', dir]);
    expect(await s.stop()).toBe(0);

    // A copy of the journal with its alerts table's root page overwritten, in a data dir of its own.
    const broken = dataDir();
    mkdirSync(join(broken, 'backups'), { mode: 0o700 });
    const backup = readdirSync(join(dir, 'backups'))[0]!;
    copyFileSync(join(dir, 'backups', backup), join(broken, 'backups', backup));
    const journal = join(broken, 'journal.sqlite');
    copyFileSync(join(dir, 'journal.sqlite'), journal);
    overwriteAlertsRoot(journal);
    const before = sha(journal);

    const refused = await refusedStart(broken);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`The journal ${journal} is damaged`);
    expect(refused.stderr).toContain(`pinebridge restore ${join(broken, 'backups', backup)} --data-dir ${broken}`);
    expect(sha(journal)).toBe(before);

    const doctor = await run(process.execPath, [BIN, 'doctor', '--data-dir', broken]).catch((e: { code: number; stderr: string }) => e);
    expect(doctor).toMatchObject({ code: 1 });
    expect((doctor as { stderr: string }).stderr).toContain('is damaged');
    expect(sha(journal)).toBe(before);

    const restored = await run(process.execPath, [BIN, 'restore', join(broken, 'backups', backup), '--data-dir', broken]);
    expect(restored.stdout).toContain('The journal it replaced is kept at');
    const kept = readdirSync(join(broken, 'backups')).find((n) => n.startsWith('journal-damaged-'));
    expect(kept && sha(join(broken, 'backups', kept))).toBe(before);
    const healthy = await run(process.execPath, [BIN, 'doctor', '--data-dir', broken]);
    expect(healthy.stdout).toContain('integrity_check ok');
    const back = await serve(broken);
    expect((await post(back.webhookUrl, alert({ id: 'after-restore' }))).status).toBe(200);
    expect(readAlerts(broken).length).toBe(301);
  });

  it('quick_check runs at a start after an unclean stop, not after a clean one; a page changed after a clean stop is still refused', async () => {
    const dir = dataDir();
    const CHECKED = 'journal check (quick_check) passed';
    const SKIPPED = 'journal check skipped: the last stop was clean';
    const marker = join(dir, 'journal-clean-stop.json');

    const first = await serve(dir);
    expect(first.output()).toContain(CHECKED);
    for (let i = 0; i < 50; i++) expect((await post(first.webhookUrl, alert({ id: `s-${i}` }))).status).toBe(200);
    expect(await first.stop()).toBe(0);
    expect(statSync(marker).mode & 0o777).toBe(0o600);

    const clean = await serve(dir);
    expect(clean.output()).toContain(SKIPPED);
    expect(clean.output()).not.toContain(CHECKED);
    // Removed at start: a crash of this run must not look clean.
    expect(existsSync(marker)).toBe(false);
    expect((await post(clean.webhookUrl, alert({ id: 'after-clean' }))).status).toBe(200);
    await clean.kill9();
    expect(existsSync(marker)).toBe(false);

    const afterCrash = await serve(dir);
    expect(afterCrash.output()).toContain(CHECKED);
    expect(afterCrash.output()).not.toContain(SKIPPED);
    expect(readAlerts(dir).length).toBe(51);
    expect(await afterCrash.stop()).toBe(0);
    expect(existsSync(marker)).toBe(true);

    // After that clean stop, the alerts table's root page is overwritten in place: the marker is
    // there, but the file is not as the stop left it, so the start checks it and refuses it.
    const journal = join(dir, 'journal.sqlite');
    overwriteAlertsRoot(journal);
    const before = sha(journal);
    const refused = await refusedStart(dir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`The journal ${journal} is damaged`);
    expect(sha(journal)).toBe(before);
  });

  it('open permissions in an existing data dir are made owner-only on start, and logged', async () => {
    const dir = dataDir();
    const s = await serve(dir);
    expect((await post(s.webhookUrl, alert())).status).toBe(200);
    await run(process.execPath, [BIN, 'backup', '--data-dir', dir]);
    expect(await s.stop()).toBe(0);
    writeFileSync(join(dir, 'settings.json'), '{}\n');
    const open = ['.', 'logs', 'backups', 'journal.sqlite', 'settings.json', 'control-token', 'logs/pinebridge.log', `backups/${readdirSync(join(dir, 'backups'))[0]}`];
    for (const p of open) chmodSync(join(dir, p), statSync(join(dir, p)).isDirectory() ? 0o755 : 0o644);

    const again = await serve(dir);
    expect((await post(again.webhookUrl, alert())).status).toBe(200);
    await until(() => readFileSync(join(dir, 'logs', 'pinebridge.log'), 'utf8').includes('data dir permissions made owner-only'), 'the fix in the log');
    const mode = (p: string) => statSync(join(dir, p)).mode & 0o777;
    for (const p of [...open, 'journal.sqlite-wal', 'journal.sqlite-shm', 'pinebridge.lock', 'pinebridge.pid']) {
      expect([p, mode(p)]).toEqual([p, statSync(join(dir, p)).isDirectory() ? 0o700 : 0o600]);
    }
    expect(again.output()).toContain('settings.json 0644 -> 0600');
  });

  it('a new data dir is owner-only from the first start (journal, WAL, logs, lock)', async () => {
    const dir = dataDir();
    chmodSync(dir, 0o700);
    const s = await serve(dir);
    expect((await post(s.webhookUrl, alert())).status).toBe(200);
    const mode = (p: string) => statSync(join(dir, p)).mode & 0o777;
    for (const p of ['journal.sqlite', 'journal.sqlite-wal', 'journal.sqlite-shm', 'control-token', 'pinebridge.lock', 'logs/pinebridge.log']) expect([p, mode(p)]).toEqual([p, 0o600]);
    expect(mode('logs')).toBe(0o700);
    expect(s.output()).not.toContain('permissions made owner-only');
  });
});
