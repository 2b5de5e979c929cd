/**
 * Load generation for the benchmarks: every request on a NEW connection (as TradingView's
 * are), timed from request start to the end of the answer.
 */
import { request } from 'node:http';

export interface Answer {
  ms: number;
  status: number;
  body: string;
}

export function post(url: string, body: string, contentType = 'application/json'): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = request(
      url,
      { method: 'POST', agent: false, headers: { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body), Connection: 'close' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ ms: performance.now() - started, status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        res.on('error', () => resolve({ ms: performance.now() - started, status: 0, body: '' }));
      },
    );
    req.on('error', () => resolve({ ms: performance.now() - started, status: 0, body: '' }));
    req.setTimeout(30_000, () => req.destroy());
    req.end(body);
  });
}

/** Open loop: `rate` requests per second for `seconds`, whatever the answers do. */
export async function atRate(url: string, makeBody: (i: number) => string, rate: number, seconds: number): Promise<Answer[]> {
  const total = Math.round(rate * seconds);
  const started = performance.now();
  const pending: Promise<Answer>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    pending.push(post(url, makeBody(i)));
  }
  return Promise.all(pending);
}

/** Everything at once: the answers, and when the last one arrived (ms after the first send). */
export async function burst(url: string, makeBody: (i: number) => string, n: number): Promise<{ answers: Answer[]; lastMs: number }> {
  const started = performance.now();
  const answers = await Promise.all(Array.from({ length: n }, (_, i) => post(url, makeBody(i))));
  return { answers, lastMs: performance.now() - started };
}

/** Closed loop with `concurrency` clients for `seconds`: requests per second answered 200. */
export async function maxThroughput(url: string, makeBody: (i: number) => string, concurrency: number, seconds: number): Promise<{ perSecond: number; ok: number; failed: number }> {
  const end = performance.now() + seconds * 1000;
  let i = 0;
  let ok = 0;
  let failed = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const a = await post(url, makeBody(i++));
        if (a.status === 200) ok++;
        else failed++;
      }
    }),
  );
  return { perSecond: Math.round((ok * 1000) / (performance.now() - started)), ok, failed };
}

export function percentiles(values: number[]): { p50: number; p99: number; max: number } {
  const s = [...values].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
  const r = (x: number) => Math.round(x * 100) / 100;
  return { p50: r(at(0.5)), p99: r(at(0.99)), max: r(s.at(-1) ?? NaN) };
}
