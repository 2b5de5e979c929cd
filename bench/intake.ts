/**
 * Intake benchmarks against a real `pinebridge serve` (paper mode) in a child process:
 * ack latency at steady rates, a 1000-alert burst, max sustained throughput, start-up time and
 * idle memory. Every alert is durably journaled before its answer. Beside them, in the same run
 * and under the same load: an empty Node HTTP server in its own process (the floor) and the
 * seed's Flask design (exchange answering at once), and the ratios to the floor. With --live the
 * server trades live against the exchange simulator instead of paper. With --journal N the data
 * dir starts with N alerts of history (20 days; each one filled order, one fill, two events),
 * and the control API's list queries (what the UI asks for) are timed too. Prints one JSON line.
 *
 * With --postgres the journal is a PostgreSQL database in a temporary local cluster (Debian's
 * postgresql, as root: test/support/postgres.ts), `serve --database postgres://…`: every alert
 * committed there (synchronous_commit on) before its answer.
 *
 * The intake's rate limit is lifted (settings.json) so the load measures the work, not the limiter's
 * 429s; with --no-limits the risk limits are lifted too (every alert trades, as bench/profile.ts).
 *
 * Beside the empty server (unless --no-floors): the durable floor (bench/lib/receivers.ts: the body
 * parsed, one SQLite row, the WAL fsynced before the answer, nothing else) with Pinebridge's ratios
 * to it, and Pinebridge with trading paused (the intake alone: every alert journaled, none
 * executed) with its ratios to both floors: what durability costs, what the intake adds to it,
 * and what execution adds on top.
 *
 *   npx tsx bench/intake.ts [--quick] [--live] [--journal 1000000] [--no-flask] [--no-floors] [--no-limits] [--postgres]
 */
import { alertBody, BENCH_SECRET } from './lib/alert-body.js';
import Database from 'better-sqlite3';
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { NO_LIMITS } from '../shared/dto/risk.js';
import { join } from 'node:path';
import { DEFAULT_API_KEY, DEFAULT_SECRET, startExchangeSimulator } from '../test/support/exchange-simulator/index.js';
import { seedJournal } from '../test/support/seed-journal.js';
import { spawnServe, type ServeProcess } from '../test/support/serve-process.js';
import { tempDir } from '../test/support/temp-dir.js';
import { postgresMissing, startPostgres } from '../test/support/postgres.js';
import { AckRecorder, computeHealth } from '../main/engine/control/health.js';
import { getPositions, listFills, listOrders, pnlHistory } from '../main/engine/control/ledger-queries.js';
import { Journal } from '../main/engine/journal/journal.js';
import { pnlSummary } from '../main/engine/positions/pnl-summary.js';
import { atRate, burst, maxThroughput, percentiles } from './lib/load.js';
import { cpuMs, rssKb } from './lib/proc.js';
import { startDurableFloor, startEmptyServer, startFlask } from './lib/receivers.js';

const quick = process.argv.includes('--quick');
const live = process.argv.includes('--live');
const withFlask = !process.argv.includes('--no-flask');
const withFloors = !process.argv.includes('--no-floors');
const noLimits = process.argv.includes('--no-limits');
const journalAt = process.argv.indexOf('--journal');
const history = journalAt > 0 ? Number(process.argv[journalAt + 1]) : 0;
const onPostgres = process.argv.includes('--postgres');
if (onPostgres && history > 0) throw new Error('--journal N builds a SQLite journal: not with --postgres');
if (onPostgres && postgresMissing()) throw new Error(`--postgres: ${postgresMissing()}`);
const pg = onPostgres ? await startPostgres() : null;
const databaseUrl = pg?.createDatabase() ?? null;
const SECRET = BENCH_SECRET;
const sim = live ? await startExchangeSimulator({ balances: { USDT: 1e12, BTC: 1e8 } }) : null;
const env: Record<string, string> = { PINEBRIDGE_WEBHOOK_SECRET: SECRET, PINEBRIDGE_LOG_LEVEL: 'warn' };
if (sim) Object.assign(env, { PINEBRIDGE_API_KEY: DEFAULT_API_KEY, PINEBRIDGE_API_SECRET: DEFAULT_SECRET });
const serveArgs = ['--log-level', 'warn', ...(sim ? ['--mode', 'live', '--exchange-url', sim.url] : []), ...(databaseUrl ? ['--database', databaseUrl] : [])];
const seconds = quick ? 3 : 10;
const maxSeconds = quick ? 3 : 8;
const body = alertBody;

interface LoadFigures {
  'ack@100/s': ReturnType<typeof percentiles> & { non200: number };
  'ack@500/s': ReturnType<typeof percentiles> & { non200: number };
  burst1000: { lastAnswerMs: number; answered200: number; after3s: number } & ReturnType<typeof percentiles>;
  maxPerSec: number;
  maxFailed: number;
  /** The receiver's own CPU (user + system) per request over the max-throughput run, µs. */
  cpuUsPerRequest: number;
}

/** The same load on any receiver: steady rates, a burst of 1000, then closed-loop max with its CPU. */
async function load(url: string, pid: number, tag: string, rates = [100, 500]): Promise<{ figures: LoadFigures; burstIds: string[] }> {
  const out: Record<string, unknown> = {};
  for (const rate of rates) {
    const answers = await atRate(url, body(`${tag}${rate}`), rate, seconds);
    out[`ack@${rate}/s`] = { ...percentiles(answers.map((a) => a.ms)), non200: answers.filter((a) => a.status !== 200).length };
  }
  const b = await burst(url, body(`${tag}burst`), 1000);
  const ok = b.answers.filter((a) => a.status === 200);
  out.burst1000 = { lastAnswerMs: Math.round(b.lastMs), answered200: ok.length, after3s: b.answers.filter((a) => a.ms > 3000).length, ...percentiles(b.answers.map((a) => a.ms)) };
  const before = cpuMs(pid);
  const t = await maxThroughput(url, body(`${tag}max`), 32, maxSeconds);
  out.maxPerSec = t.perSecond;
  out.maxFailed = t.failed;
  out.cpuUsPerRequest = Math.round(((cpuMs(pid) - before) * 1000) / Math.max(1, t.ok + t.failed));
  const burstIds = ok.flatMap((a) => {
    try {
      return [(JSON.parse(a.body) as { alertId?: string }).alertId ?? ''];
    } catch {
      return [];
    }
  });
  return { figures: out as unknown as LoadFigures, burstIds };
}

const ratio = (a: number, b: number) => Math.round((a / Math.max(b, 0.01)) * 100) / 100;

function ratios(p: LoadFigures, to: LoadFigures, name = 'Empty'): Record<string, number> {
  return {
    [`serverCpuRatioTo${name}`]: ratio(p.cpuUsPerRequest, to.cpuUsPerRequest),
    [`ack500P99RatioTo${name}`]: ratio(p['ack@500/s'].p99, to['ack@500/s'].p99),
    [`burstRatioTo${name}`]: ratio(p.burst1000.lastAnswerMs, to.burst1000.lastAnswerMs),
    [`maxRatioTo${name}`]: ratio(p.maxPerSec, to.maxPerSec),
  };
}

/** The control API's list queries, as the UI sends them: median of 5 of each, ms. */
async function uiQueries(server: ServeProcess, dataDir: string): Promise<Record<string, number>> {
  const token = readFileSync(server.tokenFile, 'utf8').trim();
  const call = async (name: string, args: Record<string, unknown>) => {
    const res = await fetch(new URL(`api/${name}`, server.controlUrl), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(args),
    });
    const json = (await res.json()) as { ok: boolean; error?: { message: string } };
    if (!json.ok) throw new Error(`${name}: ${json.error?.message}`);
  };
  const queries: [string, string, Record<string, unknown>][] = [
    ['listAlerts', 'listAlerts', { limit: 200 }],
    ['listAlertsByStatus', 'listAlerts', { limit: 200, status: 'executed' }],
    ['listOrders', 'listOrders', { limit: 200 }],
    ['listOrdersByStrategy', 'listOrders', { limit: 200, strategy: 'hist3' }],
    ['listFills', 'listFills', { limit: 1000 }],
    ['getPositions', 'getPositions', { includeFlat: true }],
    ['getPnlSummary', 'getPnlSummary', {}],
    ['getPnlHistory', 'getPnlHistory', {}],
    ['getHealth', 'getHealth', {}],
  ];
  const out: Record<string, number> = {};
  // The same reads in this process on a second connection: the journal's part of each, without
  // HTTP, JSON and the loaded machine's scheduling of the server.
  const j = Journal.open(join(dataDir, 'journal.sqlite'));
  const direct: [string, () => unknown][] = [
    ['listAlerts', () => j.alerts.list({ limit: 200 })],
    ['listOrders', () => listOrders(j, { limit: 200 })],
    ['listOrdersByStrategy', () => listOrders(j, { limit: 200, strategy: 'hist3' })],
    ['listFills', () => listFills(j, { limit: 1000 })],
    ['getPositions', () => getPositions(j, { includeFlat: true })],
    ['getPnlSummary', () => pnlSummary(j, { modeOf: () => 'paper', now: Date.now() })],
    ['getPnlHistory', () => pnlHistory(j, {})],
    ['getHealth', () => computeHealth({ journal: j, acks: new AckRecorder(), now: Date.now(), startedAt: Date.now(), tunnel: null })],
  ];
  for (const [label, fn] of direct) {
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      fn();
      times.push(performance.now() - t);
    }
    out[`${label}InProcess`] = percentiles(times).p50;
  }
  j.close();
  for (const [label, name, args] of queries) {
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      await call(name, args);
      times.push(performance.now() - t);
    }
    out[label] = percentiles(times).p50;
  }
  return out;
}

async function main() {
  const dir = tempDir('pinebridge-bench-');
  const figures: Record<string, unknown> = { bench: 'intake', mode: live ? 'live (simulator)' : 'paper', journal: databaseUrl ? 'postgres' : 'sqlite', quick, journalAlerts: history, riskLimits: noLimits ? 'lifted' : 'default' };
  try {
    const settings: Record<string, unknown> = { intake: { rateLimit: { burst: 1_000_000, perSecond: 1_000_000 } } };
    if (noLimits) Object.assign(settings, { limits: NO_LIMITS, paper: { balances: { USDT: 1e12, BTC: 1e6 } } });
    writeFileSync(join(dir.path, 'settings.json'), JSON.stringify(settings));
    if (history > 0) {
      figures.journalBuildMs = seedJournal(join(dir.path, 'journal.sqlite'), { alerts: history, days: 20, now: Date.now() }).ms;
    }
    // Start-up: spawn to "listening" printed, several times. The first start finds no clean-stop
    // marker (the journal was just built or is new) and runs quick_check; the others follow a
    // clean stop and skip it.
    const startups: number[] = [];
    for (let i = 0; i < (quick ? 3 : 5); i++) {
      const t = performance.now();
      const s = await spawnServe({ dataDir: dir.path, env, args: serveArgs });
      startups.push(performance.now() - t);
      if (i === 0) {
        await new Promise((r) => setTimeout(r, 2000));
        figures.idleRssMB = Math.round(rssKb(s.proc.pid!) / 1024);
      }
      await s.stop();
    }
    figures.startupCheckedMs = Math.round(startups[0] ?? 0);
    figures.startupMs = percentiles(startups.slice(1));

    const server = await spawnServe({ dataDir: dir.path, env, args: serveArgs });
    // A running server is warm: JIT, prepared statements, first journal pages. Not measured.
    await atRate(server.webhookUrl, body('warmup'), 100, 2);
    if (history > 0) figures.uiQueryMs = await uiQueries(server, dir.path);
    const pinebridge = await load(server.webhookUrl, server.proc.pid!, 'pb', [100, 500, 1000]);
    Object.assign(figures, pinebridge.figures);
    figures.serverCpuUsPerAlert = pinebridge.figures.cpuUsPerRequest;
    await server.stop();

    // The intake alone: trading paused (the kill switch's file, as a pause from the UI leaves it).
    let intakeAlone: LoadFigures | null = null;
    if (withFloors) {
      const now = Date.now();
      writeFileSync(join(dir.path, 'risk-state.json'), JSON.stringify({ trading: { paused: true, reason: 'bench: the intake alone', changedAt: now, lastPausedAt: now }, breakers: {} }));
      const paused = await spawnServe({ dataDir: dir.path, env, args: serveArgs });
      await atRate(paused.webhookUrl, body('warmup-paused'), 100, 2);
      intakeAlone = (await load(paused.webhookUrl, paused.proc.pid!, 'paused')).figures;
      await paused.stop();
      unlinkSync(join(dir.path, 'risk-state.json'));
    }

    const empty = await startEmptyServer();
    const floor = (await load(empty.url, empty.pid, 'empty')).figures;
    await empty.stop();
    figures.emptyNodeServer = floor;
    Object.assign(figures, ratios(pinebridge.figures, floor));
    if (withFloors && intakeAlone) {
      const durable = await startDurableFloor(dir.path);
      const dfloor = (await load(durable.url, durable.pid, 'durable')).figures;
      await durable.stop();
      figures.durableFloor = { ...dfloor, ...ratios(dfloor, floor) };
      Object.assign(figures, ratios(pinebridge.figures, dfloor, 'DurableFloor'));
      figures.intakeAlone = { ...intakeAlone, ...ratios(intakeAlone, floor), ...ratios(intakeAlone, dfloor, 'DurableFloor') };
    }

    if (withFlask) {
      // The seed's design with an exchange that answers at once: its best case.
      const flaskSim = await startExchangeSimulator({ balances: { USDT: 1e12, BTC: 1e8 } });
      const flask = await startFlask({ secret: SECRET, exchangeUrl: flaskSim.url, apiKey: DEFAULT_API_KEY, apiSecret: DEFAULT_SECRET });
      try {
        const f = (await load(flask.url, flask.pid, 'flask')).figures;
        figures.seedFlaskInstantExchange = { ...f, ...ratios(f, floor) };
      } finally {
        await flask.stop();
        await flaskSim.close();
      }
    }

    const journal = databaseUrl ? Journal.open(databaseUrl) : null;
    const db = journal ? journal.db : new Database(join(dir.path, 'journal.sqlite'), { readonly: true });
    const has = db.prepare(`SELECT 1 FROM alerts WHERE id = ?`);
    const ids = pinebridge.burstIds;
    figures.burstLost = ids.filter((id) => has.get(id) === undefined).length;
    db.close();
    figures.burstDoubled = ids.length - new Set(ids).size;
  } finally {
    dir.cleanup();
    await sim?.close();
    pg?.destroy();
  }
  console.log(JSON.stringify(figures));
}

await main();
