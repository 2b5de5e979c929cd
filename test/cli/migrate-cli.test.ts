/**
 * `pinebridge migrate` on both stores (the built CLI, real SQLite file, real PostgreSQL): pending
 * migrations run and it says from which version to which; a second run has nothing to do. The
 * SQLite-file doctor refuses a PostgreSQL journal and names what to use instead; export reads it;
 * backup and restore work on it (pg_dump / pg_restore, with the checks SQLite's have).
 */
import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Journal } from '../../main/engine/journal/journal.js';
import { migrations } from '../../main/engine/journal/migrations.js';
import { journalPath } from '../support/journal-reader.js';
import { postgresMissing, startPostgres, type PgCluster } from '../support/postgres.js';
import { BIN } from '../support/serve-process.js';
import { tempDir } from '../support/temp-dir.js';

const cli = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  new Promise<{ status: number; stdout: string; stderr: string }>((resolve) =>
    execFile(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, ...env } }, (err, stdout, stderr) =>
      resolve({ status: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    ),
  );

const latest = migrations.at(-1)?.version as number;
const missing = postgresMissing();
if (missing) console.warn(`\n!!! pinebridge migrate on PostgreSQL: NOT tested here: ${missing}.\n`);

describe('pinebridge migrate', () => {
  const dir = tempDir('pinebridge-migrate-cli-');
  let pg: PgCluster | null = null;
  beforeAll(async () => {
    if (!missing) pg = await startPostgres();
  });
  afterAll(() => {
    pg?.destroy();
    dir.cleanup();
  });

  it('SQLite: upgrades an older journal (backed up first), then finds it up to date', async () => {
    Journal.open(journalPath(dir.path), { migrations: migrations.filter((m) => m.version <= 4) }).close();
    const up = await cli(['migrate', '--data-dir', dir.path]);
    expect(up.status, up.stderr).toBe(0);
    expect(up.stdout).toMatch(new RegExp(`^Journal .*journal\\.sqlite: schema v4 -> v${latest}\\. Backup of v4: .*journal-v4-.*\\.sqlite$`, 'm'));
    const again = await cli(['migrate', '--data-dir', dir.path]);
    expect(again.stdout).toContain(`schema v${latest}, up to date`);
  });

  it.skipIf(missing !== null)('PostgreSQL: --database and PINEBRIDGE_DATABASE_URL, a new database from v0; export reads it; doctor refuses it', async () => {
    const url = (pg as PgCluster).createDatabase();
    const up = await cli(['migrate', '--data-dir', dir.path, '--database', url]);
    expect(up.status, up.stderr).toBe(0);
    expect(up.stdout).toBe(`Journal ${url}: schema v0 -> v${latest}.\n`);
    const again = await cli(['migrate', '--data-dir', dir.path], { PINEBRIDGE_DATABASE_URL: url });
    expect(again.stdout).toBe(`Journal ${url}: schema v${latest}, up to date.\n`);
    const exported = await cli(['export', 'trades', '--data-dir', dir.path, '--database', url, '--format', 'json']);
    expect(exported.status, exported.stderr).toBe(0);
    expect(JSON.parse(exported.stdout)).toMatchObject({ trades: [] });
    const doctor = await cli(['doctor', '--data-dir', dir.path, '--database', url]);
    expect(doctor.status).toBe(2);
    expect(doctor.stderr).toMatch(/works on the SQLite journal only, not on PostgreSQL .*: PostgreSQL checks its own pages/);
    const bad = await cli(['migrate', '--database', 'mysql://u:pw@h/db']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--database must be a postgres:// or postgresql:// URL');
    expect(bad.stderr).not.toContain(':pw@');
  });
  it.skipIf(missing !== null)('PostgreSQL: backup (pg_dump on one snapshot), restore (every node stopped), the database it replaced kept; refusals', async () => {
    // A password in the URL (trust auth ignores it): it must appear in no output.
    const url = (pg as PgCluster).createDatabase().replace('postgres://postgres@', 'postgres://postgres:s3cret-pw@');
    expect(url).toContain(':s3cret-pw@');
    const j = Journal.open(url);
    const record = (id: string) =>
      j.alerts.record({
        id, receivedAt: Date.now(), source: '127.0.0.1', dialect: 'native', strategy: 's', action: 'buy', symbol: 'BTC/USDT', idemKey: `k-${id}`, idemSince: 0,
        body: '{}', signal: { strategy: 's' }, status: 'accepted', httpStatus: 200, reasonCode: null, reason: null,
      });
    record('a1');
    record('a2');
    const file = `${dir.path}/pg.pgdump`;
    const backup = await cli(['backup', file, '--data-dir', dir.path, '--database', url]);
    expect(backup.status, backup.stderr).toBe(0);
    expect(backup.stdout).toContain(`schema v${latest}, 2 alerts, 0 orders, 0 fills`);
    expect(backup.stdout + backup.stderr).not.toContain('s3cret-pw');
    expect((await cli(['backup', file, '--data-dir', dir.path, '--database', url])).stderr).toContain('already exists');

    record('a3');
    // A node seen a moment ago: restoring under it would pull the journal from under its feet.
    j.db.prepare(`INSERT INTO cluster_nodes (node, host, version, role, started_at, heartbeat_at) VALUES ('n1', 'h', 'v', 'executor', ?, ?)`).run(Date.now(), Date.now());
    const busy = await cli(['restore', file, '--data-dir', dir.path, '--database', url]);
    expect(busy.status).toBe(1);
    expect(busy.stderr).toMatch(/Nodes are running on .*: n1 \(seen \d+ s ago\)\. Stop every node first/);
    expect(busy.stderr).not.toContain('s3cret-pw');
    j.db.prepare(`UPDATE cluster_nodes SET heartbeat_at = ?`).run(Date.now() - 120_000);
    j.close();

    const notDump = `${dir.path}/not-a-dump.pgdump`;
    writeFileSync(notDump, 'hello');
    const refused = await cli(['restore', notDump, '--data-dir', dir.path, '--database', url]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('is not a pg_dump archive');

    const restored = await cli(['restore', file, '--data-dir', dir.path, '--database', url]);
    expect(restored.status, restored.stderr).toBe(0);
    expect(restored.stdout).toContain(`schema v${latest}, 2 alerts, 0 orders, 0 fills`);
    expect(restored.stdout + restored.stderr).not.toContain('s3cret-pw');
    const kept = /The database it replaced is kept at (\S+)/.exec(restored.stdout)?.[1];
    expect(kept && existsSync(kept)).toBe(true);
    const after = Journal.open(url);
    expect(after.alerts.list({}).map((a) => a.id).sort()).toEqual(['a1', 'a2']);
    after.close();
    // What it replaced (a3 included) restores too: nothing is lost by a restore.
    const back = await cli(['restore', kept!, '--data-dir', dir.path, '--database', url]);
    expect(back.status, back.stderr).toBe(0);
    expect(back.stdout).toContain('3 alerts');
  });
});
