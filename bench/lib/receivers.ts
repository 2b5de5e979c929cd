/**
 * The receivers Pinebridge is measured against, each in its own process so its CPU can be read
 * apart from the load generator's: an empty Node HTTP server (the floor: what a request costs with
 * no work at all), the durable floor (the least a receiver must do to keep Pinebridge's promise:
 * the body parsed, one SQLite row per alert, the WAL fsynced before the answer, nothing else) and
 * the seed document's Flask design (bench/reference).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export interface Receiver {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

const FLASK = fileURLToPath(new URL('../reference/seed_flask_receiver.py', import.meta.url));

// The same listen options as Pinebridge's webhook listener (deep backlog), answering `{}`.
const EMPTY_SERVER = `
const s = require('node:http').createServer((req, res) => { req.resume(); req.on('end', () => res.end('{}')); });
s.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, () => console.log(s.address().port));
`;

/**
 * The durable floor: Node's HTTP server, the body read and parsed, its id kept once (a unique
 * index, as the journal's idempotency key), every alert of one event-loop turn in one SQLite
 * transaction (WAL, synchronous off) and the WAL fdatasynced on libuv's pool before any of them
 * is answered: Pinebridge's group commit, with no validation, no secret check, no execution, no
 * logging. What is left between it and the empty server is what durability costs.
 */
const DURABLE_FLOOR = `
const Database = require(process.argv[1]);
const fs = require('node:fs');
const file = require('node:path').join(process.argv[2], 'floor.sqlite');
const db = new Database(file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = OFF');
db.exec('CREATE TABLE IF NOT EXISTS alerts (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, received_at INTEGER NOT NULL, body TEXT NOT NULL)');
const insert = db.prepare('INSERT OR IGNORE INTO alerts (id, received_at, body) VALUES (?, ?, ?)');
const write = db.transaction((batch) => { for (const p of batch) p.dup = insert.run(p.id, Date.now(), p.body).changes === 0; });
let queue = [];
let wal = null;
const answer = (p, status, body) => { p.res.statusCode = status; p.res.setHeader('content-type', 'application/json'); p.res.end(body); };
function flush() {
  const batch = queue;
  queue = [];
  try { write(batch); } catch (e) { for (const p of batch) answer(p, 503, '{"error":{"code":"journal_unavailable","message":"not saved"}}'); return; }
  if (wal === null) wal = fs.openSync(file + '-wal', 'r');
  fs.fdatasync(wal, (err) => {
    for (const p of batch) err ? answer(p, 503, '{"error":{"code":"journal_unavailable","message":"not synced"}}') : answer(p, 200, JSON.stringify({ status: p.dup ? 'duplicate' : 'accepted', alertId: p.id }));
  });
}
let n = 0;
const s = require('node:http').createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    let id;
    try { id = JSON.parse(body).id; } catch { return answer({ res }, 400, '{"error":{"code":"invalid_json","message":"not JSON"}}'); }
    if (queue.length === 0) setImmediate(flush);
    queue.push({ res, body, id: typeof id === 'string' ? id : 'n' + n++ });
  });
});
s.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, () => console.log(s.address().port));
`;

/** The durable floor, its SQLite file in `dir`. */
export function startDurableFloor(dir: string): Promise<Receiver> {
  return nodeReceiver('the durable floor', DURABLE_FLOOR, [createRequire(import.meta.url).resolve('better-sqlite3'), dir]);
}

function stopper(proc: ChildProcess): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
      proc.once('exit', () => resolve());
      proc.kill('SIGKILL');
    });
}

export function startEmptyServer(): Promise<Receiver> {
  return nodeReceiver('the empty server', EMPTY_SERVER, []);
}

/** A receiver script run by `node -e` with `args`, which prints its port once it listens. */
async function nodeReceiver(name: string, script: string, args: string[]): Promise<Receiver> {
  const proc = spawn(process.execPath, ['-e', script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    proc.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
    proc.once('exit', (code) => reject(new Error(`${name} exited (${code})`)));
  });
  return { url: `http://127.0.0.1:${port}/webhook`, pid: proc.pid!, stop: stopper(proc) };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

/** The seed's Flask design, trading against `exchangeUrl` inside each request. */
export async function startFlask(o: { secret: string; exchangeUrl: string; apiKey: string; apiSecret: string }): Promise<Receiver> {
  const port = await freePort();
  const proc = spawn('python3', [FLASK, String(port)], {
    env: { ...process.env, WEBHOOK_SECRET: o.secret, EXCHANGE_URL: o.exchangeUrl, BINANCE_API_KEY: o.apiKey, BINANCE_API_SECRET: o.apiSecret },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  // Werkzeug logs every request to stderr: a pipe nobody reads fills (64 KB) and then blocks
  // every request thread on the logging lock. Read it, keeping the tail for a failure message.
  let stderrTail = '';
  proc.stderr!.on('data', (d: Buffer) => (stderrTail = (stderrTail + d.toString()).slice(-4000)));
  proc.once('exit', (code, signal) => {
    if (signal !== 'SIGKILL') console.error(`the Flask reference receiver exited (${code ?? signal}):\n${stderrTail}`);
  });
  for (let i = 0; ; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/`).then(
      () => true,
      () => false,
    );
    if (ok) break;
    if (i >= 100) {
      proc.kill('SIGKILL');
      throw new Error('the Flask reference receiver did not start (is python3-flask installed?)');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url: `http://127.0.0.1:${port}/webhook`, pid: proc.pid!, stop: stopper(proc) };
}
