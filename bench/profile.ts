/**
 * Where the time goes: `pinebridge serve` (paper mode, risk limits lifted so every alert trades)
 * under `node --cpu-prof` at a steady rate, with a journal seeded with `--history N` fills of
 * today (0: empty). Prints one JSON line: the server's CPU per alert over the load, the answers,
 * and the top self-time entries of the profile. Run it with --history 10 and --history 100000 to
 * see whether an alert costs more once the journal is busy.
 *
 * With --default-limits the risk limits stay the defaults (as in bench/intake.ts: most alerts are
 * skipped after 10 orders a minute), so the profile is of the intake bench's load. With --paused
 * trading is paused (the kill switch's file): the intake alone, every alert journaled, none executed.
 *
 *   npx tsx bench/profile.ts [--rate 400] [--seconds 8] [--history 0] [--default-limits] [--paused] [--no-profile] [--out FILE.cpuprofile]
 */
import { alertBody, BENCH_SECRET } from './lib/alert-body.js';
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NO_LIMITS } from '../shared/dto/risk.js';
import { spawnServe } from '../test/support/serve-process.js';
import { tempDir } from '../test/support/temp-dir.js';
import { busyByRoom, topSelfTime } from './lib/cpu-profile.js';
import { atRate, percentiles } from './lib/load.js';
import { cpuMs } from './lib/proc.js';
import { seedJournal } from '../test/support/seed-journal.js';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const rate = arg('rate', 400);
const seconds = arg('seconds', 8);
const history = arg('history', 0);
const profile = !process.argv.includes('--no-profile');
const outAt = process.argv.indexOf('--out');
const out = outAt > 0 ? process.argv[outAt + 1] : undefined;
const SECRET = BENCH_SECRET;

/** Settings every profiling run shares: no limit skips an alert, the paper account never runs dry. */
export function benchSettings(defaultLimits = false): string {
  const intake = { rateLimit: { burst: 100_000, perSecond: 100_000 } };
  return JSON.stringify(defaultLimits ? { intake } : { limits: NO_LIMITS, paper: { balances: { USDT: 1e12, BTC: 1e6 } }, intake });
}

const body = alertBody;

async function main() {
  const dir = tempDir('pinebridge-prof-');
  const profDir = join(dir.path, 'prof');
  mkdirSync(profDir);
  try {
    writeFileSync(join(dir.path, 'settings.json'), benchSettings(process.argv.includes('--default-limits')));
    const paused = process.argv.includes('--paused');
    if (paused) {
      const now = Date.now();
      writeFileSync(join(dir.path, 'risk-state.json'), JSON.stringify({ trading: { paused: true, reason: 'bench: the intake alone', changedAt: now, lastPausedAt: now }, breakers: {} }));
    }
    const seeded = history > 0 ? seedJournal(join(dir.path, 'journal.sqlite'), { alerts: history, days: 1, now: Date.now() }) : null;
    const env: Record<string, string> = { PINEBRIDGE_WEBHOOK_SECRET: SECRET, PINEBRIDGE_LOG_LEVEL: 'warn' };
    const nodeArgs = profile ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : [];
    const server = await spawnServe({ dataDir: dir.path, env, nodeArgs, args: ['--log-level', 'warn'] });
    await atRate(server.webhookUrl, body('warmup'), 100, 2);
    await new Promise((r) => setTimeout(r, 500));
    const before = cpuMs(server.proc.pid!);
    const answers = await atRate(server.webhookUrl, body('load'), rate, seconds);
    // Execution trails the answers: count its CPU too, until the queue is drained.
    await new Promise((r) => setTimeout(r, 1500));
    const cpu = cpuMs(server.proc.pid!) - before;
    await server.stop();
    const figures: Record<string, unknown> = {
      bench: 'profile',
      history,
      trading: paused ? 'paused (the intake alone)' : 'on',
      seedMs: seeded?.ms ?? 0,
      rate,
      seconds,
      profiled: profile,
      serverCpuUsPerAlert: Math.round((cpu * 1000) / answers.length),
      ack: { ...percentiles(answers.map((a) => a.ms)), non200: answers.filter((a) => a.status !== 200).length },
    };
    // One profile per thread (CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile): the main thread's
    // figures at the top level as before, the intake thread's (and any other) under `threads`.
    const files = profile ? readdirSync(profDir).filter((f) => f.endsWith('.cpuprofile')) : [];
    const threadOf = (f: string) => Number(f.split('.')[4] ?? 0);
    const main = files.find((f) => threadOf(f) === 0) ?? files[0];
    if (main && out) copyFileSync(join(profDir, main), out);
    if (main) Object.assign(figures, topSelfTime(join(profDir, main)), { byRoom: busyByRoom(join(profDir, main)) });
    const others = files.filter((f) => f !== main);
    if (others.length) figures.threads = others.map((f) => ({ thread: threadOf(f), ...topSelfTime(join(profDir, f)), byRoom: busyByRoom(join(profDir, f)) }));
    console.log(JSON.stringify(figures));
  } finally {
    dir.cleanup();
  }
}

await main();
