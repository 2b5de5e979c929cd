/**
 * Intake benchmarks against a real `pinebridge serve` (paper mode) in a child process:
 * ack latency at steady rates, a 1000-alert burst, max sustained throughput, start-up time and
 * idle memory. Every alert is durably journaled before its answer. Prints one JSON line.
 * With --live the server trades live against the exchange simulator instead of paper.
 *
 *   npx tsx bench/intake.ts [--quick] [--live]
 */
import Database from 'better-sqlite3';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DEFAULT_API_KEY, DEFAULT_SECRET, startExchangeSimulator } from '../test/support/exchange-simulator/index.js';
import { spawnServe } from '../test/support/serve-process.js';
import { tempDir } from '../test/support/temp-dir.js';
import { atRate, burst, maxThroughput, percentiles } from './lib/load.js';
import { cpuMs, rssKb } from './lib/proc.js';

const quick = process.argv.includes('--quick');
const live = process.argv.includes('--live');
const SECRET = 'bench-secret-0123456789abcdefghij';
const sim = live ? await startExchangeSimulator({ balances: { USDT: 1e12, BTC: 1e8 } }) : null;
const env: Record<string, string> = { PINEBRIDGE_WEBHOOK_SECRET: SECRET, PINEBRIDGE_LOG_LEVEL: 'warn' };
if (sim) Object.assign(env, { PINEBRIDGE_API_KEY: DEFAULT_API_KEY, PINEBRIDGE_API_SECRET: DEFAULT_SECRET });
const serveArgs = ['--log-level', 'warn', ...(sim ? ['--mode', 'live', '--exchange-url', sim.url] : [])];
let seq = 0;
const body = (tag: string) => (i: number) =>
  JSON.stringify({
    secret: SECRET,
    strategy: `s${i % 10}`,
    action: i % 2 ? 'sell' : 'buy',
    symbol: 'BINANCE:BTCUSDT',
    quantity: '0.001',
    price: '65000',
    id: `${tag}-${i}-${seq++}`,
    time: new Date().toISOString(),
  });

async function main() {
  const dir = tempDir('pinebridge-bench-');
  const figures: Record<string, unknown> = { bench: 'intake', mode: live ? 'live (simulator)' : 'paper', quick };
  try {
    // Start-up: spawn to "listening" printed, several times.
    const startups: number[] = [];
    for (let i = 0; i < (quick ? 2 : 5); i++) {
      const t = performance.now();
      const s = await spawnServe({ dataDir: dir.path, env, args: serveArgs });
      startups.push(performance.now() - t);
      if (i === 0) {
        await new Promise((r) => setTimeout(r, 2000));
        figures.idleRssMB = Math.round(rssKb(s.proc.pid!) / 1024);
      }
      await s.stop();
    }
    figures.startupMs = percentiles(startups);

    const server = await spawnServe({ dataDir: dir.path, env, args: serveArgs });
    const url = server.webhookUrl;
    const seconds = quick ? 3 : 10;
    // A running server is warm: JIT, prepared statements, first journal pages. Not measured.
    await atRate(url, body('warmup'), 100, 2);
    figures.baselineEmptyNodeServer = await emptyServerBaseline(seconds);
    for (const rate of [100, 500, 1000]) {
      const answers = await atRate(url, body(`rate${rate}`), rate, seconds);
      figures[`ack@${rate}/s`] = { ...percentiles(answers.map((a) => a.ms)), non200: answers.filter((a) => a.status !== 200).length };
    }
    const b = await burst(url, body('burst'), 1000);
    const ids = b.answers.filter((a) => a.status === 200).map((a) => (JSON.parse(a.body) as { alertId: string }).alertId);
    figures.burst1000 = {
      lastAnswerMs: Math.round(b.lastMs),
      answered200: ids.length,
      after3s: b.answers.filter((a) => a.ms > 3000).length,
      ...percentiles(b.answers.map((a) => a.ms)),
    };
    const cpuBefore = cpuMs(server.proc.pid!);
    const t = await maxThroughput(url, body('max'), 32, quick ? 3 : 8);
    figures.maxAlertsPerSec = t.perSecond;
    figures.maxFailed = t.failed;
    // The server's own CPU per alert (the load generator shares the machine's cores with it).
    figures.serverCpuUsPerAlert = Math.round(((cpuMs(server.proc.pid!) - cpuBefore) * 1000) / (t.ok + t.failed));
    figures.emptyNodeServerMaxPerSec = await emptyServerMax(quick ? 3 : 8);
    await server.stop();

    const db = new Database(join(dir.path, 'journal.sqlite'), { readonly: true });
    const found = new Set((db.prepare(`SELECT id FROM alerts`).all() as { id: string }[]).map((r) => r.id));
    db.close();
    figures.burstLost = ids.filter((id) => !found.has(id)).length;
    figures.burstDoubled = ids.length - new Set(ids).size;
  } finally {
    dir.cleanup();
    await sim?.close();
  }
  console.log(JSON.stringify(figures));
}

/** The same load against an empty Node HTTP server: what the client and TCP cost on their own. */
async function emptyServerBaseline(seconds: number): Promise<Record<string, unknown>> {
  const srv = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end('{}'));
  });
  await new Promise<void>((r) => srv.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, () => r()));
  const url = `http://127.0.0.1:${(srv.address() as AddressInfo).port}/webhook`;
  const out: Record<string, unknown> = {};
  for (const rate of [100, 500]) out[`ack@${rate}/s`] = percentiles((await atRate(url, body('base'), rate, Math.min(seconds, 5))).map((a) => a.ms));
  srv.close();
  return out;
}

/** The same closed-loop load against an empty Node HTTP server: the machine's ceiling for it. */
async function emptyServerMax(seconds: number): Promise<number> {
  const srv = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end('{}'));
  });
  await new Promise<void>((r) => srv.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, () => r()));
  const url = `http://127.0.0.1:${(srv.address() as AddressInfo).port}/webhook`;
  const t = await maxThroughput(url, body('base'), 32, seconds);
  srv.close();
  return t.perSecond;
}

await main();
