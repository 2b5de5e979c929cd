/**
 * The receivers Pinebridge is measured against, each in its own process so its CPU can be read
 * apart from the load generator's: an empty Node HTTP server (the floor: what a request costs with
 * no work at all) and the seed document's Flask design (bench/reference).
 */
import { spawn, type ChildProcess } from 'node:child_process';
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

function stopper(proc: ChildProcess): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
      proc.once('exit', () => resolve());
      proc.kill('SIGKILL');
    });
}

export async function startEmptyServer(): Promise<Receiver> {
  const proc = spawn(process.execPath, ['-e', EMPTY_SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    proc.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
    proc.once('exit', (code) => reject(new Error(`the empty server exited (${code})`)));
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
