/**
 * `pinebridge migrate` on both stores (the built CLI, real SQLite file, real PostgreSQL): pending
 * migrations run and it says from which version to which; a second run has nothing to do. The
 * SQLite-file commands refuse a PostgreSQL journal and name what to use instead; export reads it.
 */
import { execFile } from 'node:child_process';
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

  it.skipIf(missing !== null)('PostgreSQL: --database and PINEBRIDGE_DATABASE_URL, a new database from v0; export reads it; backup, restore and doctor refuse it', async () => {
    const url = (pg as PgCluster).createDatabase();
    const up = await cli(['migrate', '--data-dir', dir.path, '--database', url]);
    expect(up.status, up.stderr).toBe(0);
    expect(up.stdout).toBe(`Journal ${url}: schema v0 -> v${latest}.\n`);
    const again = await cli(['migrate', '--data-dir', dir.path], { PINEBRIDGE_DATABASE_URL: url });
    expect(again.stdout).toBe(`Journal ${url}: schema v${latest}, up to date.\n`);
    const exported = await cli(['export', 'trades', '--data-dir', dir.path, '--database', url, '--format', 'json']);
    expect(exported.status, exported.stderr).toBe(0);
    expect(JSON.parse(exported.stdout)).toMatchObject({ trades: [] });
    for (const cmd of [['backup'], ['restore', 'x.sqlite'], ['doctor']]) {
      const r = await cli([...cmd, '--data-dir', dir.path, '--database', url]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/works on the SQLite journal only, not on PostgreSQL .*: (back it up with pg_dump|restore a pg_dump|PostgreSQL checks its own pages)/);
    }
    const bad = await cli(['migrate', '--database', 'mysql://u:pw@h/db']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--database must be a postgres:// or postgresql:// URL');
    expect(bad.stderr).not.toContain(':pw@');
  });
});
