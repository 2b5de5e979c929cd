/**
 * Backups of a PostgreSQL journal: `pg_dump` in its custom format, taken on a snapshot this module
 * exported (so the counts it prints are the dump's own, while the nodes keep writing), checked
 * with `pg_restore --list`; and the restore, every node stopped, in one transaction, the database
 * it replaces dumped first. The URL's password goes to libpq through PGPASSWORD, never on a
 * command line (`ps` would show it) or in a message.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { PG_VERSION_TABLE } from '../journal/database.js';
import { databasePassword, maskDatabaseUrl } from '../journal/database-url.js';
import { migrations } from '../journal/migrations.js';
import { PgDb } from '../journal/pg-store.js';
import { opError, stamp, type JournalFileInfo } from './backup.js';

/** What a dump holds: as a SQLite backup's (path, bytes, schema version, counts). */
export type PgDumpInfo = JournalFileInfo;

/** A node that beat this recently (by the database's clock) may still be running. */
const LIVE_NODE_MS = 60_000;
const JOURNAL_TABLES = ['alerts', 'order_intents', 'fills', 'positions', 'events', PG_VERSION_TABLE];

/** `pg_dump` of the journal at `url` into `dest` (a new file), with what it holds. */
export async function backupPostgres(url: string, dest: string, opts: { overwrite?: boolean } = {}): Promise<PgDumpInfo> {
  if (existsSync(dest) && !opts.overwrite) throw opError('exists', `${dest} already exists: choose another name (or --force).`);
  mkdirSync(dirname(dest), { recursive: true });
  const partial = join(dirname(dest), `.${basename(dest)}.partial-${process.pid}`);
  const db = new PgDb(url);
  try {
    // The dump and the counts read one snapshot: held open by this transaction until pg_dump is done.
    db.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const snapshot = String(db.query('SELECT pg_export_snapshot() AS s').rows[0]!.s);
    const count = (t: string) => Number(db.query(`SELECT count(*) AS n FROM ${t}`).rows[0]!.n);
    const version = Number(db.query(`SELECT coalesce(max(version), 0) AS v FROM ${PG_VERSION_TABLE}`).rows[0]!.v);
    const counts = { alerts: count('alerts'), orderIntents: count('order_intents'), fills: count('fills') };
    try {
      await pgTool('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--snapshot=${snapshot}`, `--file=${partial}`], url);
      chmodSync(partial, 0o600);
      checkDumpTables(await pgTool('pg_restore', ['--list', partial], url), partial);
      renameSync(partial, dest);
    } catch (e) {
      removeQuietly(partial);
      throw e;
    }
    db.query('COMMIT');
    return { path: dest, bytes: statSync(dest).size, schemaVersion: version, ...counts };
  } finally {
    db.close();
  }
}

/**
 * Replaces the journal at `url` with the dump `file`: checked first (a Pinebridge journal, a
 * schema no newer than this version), refused while a node is running on it, the database it
 * replaces dumped to `backupsDir`, then restored in one transaction (all or nothing).
 */
export async function restorePostgres(
  file: string,
  url: string,
  backupsDir: string,
  now = new Date(),
): Promise<{ restored: PgDumpInfo; previous: string | null }> {
  if (!existsSync(file)) throw opError('not_found', `${file} does not exist.`);
  const toc = await pgTool('pg_restore', ['--list', file], url).catch((e: Error) => {
    throw opError('unreadable', `${file} is not a pg_dump archive (custom format) that pg_restore can read: ${e.message}`);
  });
  checkDumpTables(toc, file);
  const version = dumpVersion(await pgTool('pg_restore', ['--data-only', `--table=${PG_VERSION_TABLE}`, '--file=-', file], url));
  const latest = migrations.at(-1)?.version ?? 0;
  if (version < 1) throw opError('not_a_journal', `${file} is not a Pinebridge journal (no schema version).`);
  if (version > latest) throw opError('too_new', `${file} was written by a newer Pinebridge (schema ${version}; this one knows up to ${latest}).`);

  const db = new PgDb(url);
  let hasJournal: boolean;
  try {
    hasJournal = Boolean(db.query(`SELECT to_regclass('alerts') IS NOT NULL AS ok`).rows[0]!.ok);
    const nodes = db.query(`SELECT to_regclass('cluster_nodes') IS NOT NULL AS ok`).rows[0]!.ok
      ? db.query(
          `SELECT node, (extract(epoch from now()) * 1000)::bigint - heartbeat_at AS ago FROM cluster_nodes
            WHERE heartbeat_at > (extract(epoch from now()) * 1000)::bigint - ${LIVE_NODE_MS} ORDER BY node`,
        ).rows
      : [];
    if (nodes.length > 0) {
      const list = nodes.map((n) => `${String(n.node)} (seen ${Math.round(Number(n.ago) / 1000)} s ago)`).join(', ');
      throw opError('nodes_running', `Nodes are running on ${maskDatabaseUrl(url)}: ${list}. Stop every node first, then restore (a node stopped less than a minute ago counts as running).`);
    }
  } finally {
    db.close();
  }
  let previous: string | null = null;
  if (hasJournal) {
    mkdirSync(backupsDir, { recursive: true, mode: 0o700 });
    previous = join(backupsDir, `journal-before-restore-${stamp(now)}.pgdump`);
    await backupPostgres(url, previous);
  }
  await pgTool('pg_restore', ['--clean', '--if-exists', '--no-owner', '--no-privileges', '--single-transaction', '--exit-on-error', `--dbname=${libpqUrl(url)}`, file], url);
  const info = inspectPostgres(url);
  return { restored: { ...info, path: file, bytes: statSync(file).size }, previous };
}

function inspectPostgres(url: string): Omit<PgDumpInfo, 'path' | 'bytes'> {
  const db = new PgDb(url);
  try {
    const count = (t: string) => Number(db.query(`SELECT count(*) AS n FROM ${t}`).rows[0]!.n);
    return {
      schemaVersion: Number(db.query(`SELECT coalesce(max(version), 0) AS v FROM ${PG_VERSION_TABLE}`).rows[0]!.v),
      alerts: count('alerts'),
      orderIntents: count('order_intents'),
      fills: count('fills'),
    };
  } finally {
    db.close();
  }
}

/** The archive's table of contents names every journal table, else it is not a journal's dump. */
function checkDumpTables(toc: string, file: string): void {
  for (const t of JOURNAL_TABLES) {
    if (!new RegExp(`\\bTABLE (?:public )?${t}\\b`).test(toc)) throw opError('not_a_journal', `${file} is not a Pinebridge journal's dump (no ${t} table).`);
  }
}

/** The newest version in the schema table's COPY block of `pg_restore --data-only` output. */
function dumpVersion(sql: string): number {
  const block = /^COPY [^\n]*pinebridge_schema[^\n]*FROM stdin;\n([\s\S]*?)^\\\.$/m.exec(sql);
  if (!block) return 0;
  return Math.max(0, ...block[1]!.split('\n').filter(Boolean).map((l) => Number.parseInt(l.split('\t')[0]!, 10)).filter(Number.isFinite));
}

/** The URL without its password (libpq reads that from PGPASSWORD). */
function libpqUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/?#@]*):[^@/?#]*@/i, '$1@').replace(/([?&])password=[^&]*&?/gi, '$1').replace(/[?&]$/, '');
}

/** Runs a PostgreSQL client tool on `url`; resolves with its stdout, rejects with its stderr (password-free). */
function pgTool(tool: 'pg_dump' | 'pg_restore', args: string[], url: string): Promise<string> {
  const password = databasePassword(url);
  const withDb = tool === 'pg_dump' ? [...args, `--dbname=${libpqUrl(url)}`] : args;
  return new Promise((resolve, reject) => {
    const child = spawn(tool, withDb, {
      env: { ...process.env, ...(password !== null ? { PGPASSWORD: password } : {}) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e: NodeJS.ErrnoException) =>
      reject(
        e.code === 'ENOENT'
          ? opError('no_pg_tools', `${tool} was not found: install PostgreSQL's client tools (Debian: apt-get install postgresql-client), the same major version as the server or newer.`)
          : e,
      ),
    );
    child.on('close', (code) => {
      if (code === 0) return resolve(Buffer.concat(out).toString('utf8'));
      const message = Buffer.concat(err).toString('utf8').trim().split('\n').slice(0, 5).join(' ');
      reject(opError('pg_tool_failed', `${tool} failed (exit ${code}): ${password ? message.split(password).join('***') : message}`));
    });
  });
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
