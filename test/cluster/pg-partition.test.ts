/**
 * PostgreSQL cut off (a partition: connections neither refused nor answered), on a real cluster
 * behind a TCP relay the test controls, with the engine in this process on real HTTP: reconnect
 * attempts must not hold the event loop. libpq's connect waits up to its connect timeout (3 s,
 * at least 2 s) for a silent server; done synchronously, every webhook answer (503) queued behind
 * it. The loop's longest stall and the 503s' p99 are printed.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, TEST_SECRET } from '../support/engine-harness.js';
import { postgresMissing, startPostgres, type PgCluster } from '../support/postgres.js';

const missing = postgresMissing();
if (missing) console.warn(`\n!!! PostgreSQL cut off: NOT tested here: ${missing}.\n`);

/**
 * Relays to PostgreSQL from a child process (the engine's first connect is synchronous, so the
 * relay cannot share its event loop); `cut`: drops the relayed connections and holds new ones
 * silent, accepted and never answered (libpq then waits for its connect timeout); `heal`: relays again.
 */
const RELAY = `
const net = require('node:net');
let cut = false;
const open = new Set();
const target = Number(process.argv[1]);
const server = net.createServer((client) => {
  open.add(client);
  client.on('close', () => open.delete(client));
  client.on('error', () => {});
  if (cut) return;
  const up = net.createConnection({ port: target, host: '127.0.0.1' });
  open.add(up);
  up.on('close', () => { open.delete(up); client.destroy(); });
  up.on('error', () => client.destroy());
  client.on('close', () => up.destroy());
  client.pipe(up).pipe(client);
});
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
process.stdin.on('data', (d) => {
  for (const cmd of String(d).split('\\n').filter(Boolean)) {
    cut = cmd === 'cut';
    for (const s of open) s.destroy();
    process.stdout.write(cmd + '\\n');
  }
});
`;

async function relay(target: number): Promise<{ port: number; cut(): Promise<void>; heal(): Promise<void>; close(): void }> {
  const child = spawn(process.execPath, ['-e', RELAY, String(target)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const next = () => new Promise<string>((r) => lines.once('line', r));
  const port = Number(await next());
  const say = async (cmd: string) => {
    const done = next();
    child.stdin!.write(`${cmd}\n`);
    expect(await done).toBe(cmd);
  };
  return { port, cut: () => say('cut'), heal: () => say('heal'), close: () => void child.kill() };
}

const alert = (id: string) => ({ secret: TEST_SECRET, strategy: 'cut-off', action: 'buy', symbol: 'BINANCE:BTCUSDT', quantity: '0.01', order_type: 'market', price: '65000', id });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(missing !== null)('PostgreSQL cut off', () => {
  let pg: PgCluster;
  beforeAll(async () => {
    pg = await startPostgres();
  });
  afterAll(() => pg?.destroy());

  it('webhooks are answered 503 at once while every reconnect attempt waits on a silent server; once it answers again, 200', async () => {
    const r = await relay(pg.port);
    const url = pg.createDatabase().replace(`:${pg.port}/`, `:${r.port}/`);
    const h = await startHarness({ databaseUrl: url });
    try {
      expect((await h.post(alert('before'))).status).toBe(200);
      await r.cut();
      const loop = monitorEventLoopDelay({ resolution: 10 });
      loop.enable();
      const ms: number[] = [];
      const started = performance.now();
      // Over 6 s: past two connect timeouts, so a blocking reconnect would have shown.
      for (let i = 0; performance.now() - started < 6_000; i++) {
        const t = performance.now();
        const got = await h.post(alert(`down-${i}`));
        ms.push(performance.now() - t);
        expect(got.status).toBe(503);
        expect(got.body).toMatchObject({ error: { code: 'journal_unavailable' } });
        await sleep(20);
      }
      loop.disable();
      ms.sort((a, b) => a - b);
      const p99 = ms[Math.min(ms.length - 1, Math.floor(ms.length * 0.99))]!;
      const maxStallMs = loop.max / 1e6;
      console.info(`[pg cut off] ${ms.length} answers 503: p50 ${ms[Math.floor(ms.length / 2)]!.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${ms[ms.length - 1]!.toFixed(1)} ms; longest event-loop stall ${maxStallMs.toFixed(0)} ms`);
      // A synchronous connect to a silent server holds the loop for libpq's connect timeout (>= 2 s).
      expect(maxStallMs).toBeLessThan(1_500);
      expect(ms[ms.length - 1]!).toBeLessThan(1_500);
      await r.heal();
      await expect.poll(async () => (await h.post(alert('after'))).status, { timeout: 15_000, interval: 300 }).toBe(200);
    } finally {
      await h.close();
      r.close();
    }
  });
});
