import Database from 'better-sqlite3';
import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const SECRET = 'ops-test-secret-0123456789abcdef';

export const alert = (over: Record<string, unknown> = {}) => ({
  secret: SECRET,
  strategy: 'ops',
  action: 'buy',
  symbol: 'BINANCE:BTCUSDT',
  quantity: '0.01',
  price: '65000',
  id: `a-${Math.random().toString(36).slice(2)}`,
  ...over,
});

/** A webhook answer's body: which fields are there depends on the status. */
export interface AnswerBody {
  status: string;
  alertId: string;
  error: { code: string; message: string };
}

export interface Answer {
  status: number;
  body: AnswerBody;
  headers: Headers;
}

/** POSTs an alert on a new connection (as TradingView does). */
export async function post(url: string, body: unknown): Promise<Answer> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Connection: 'close' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed = { error: { code: 'not_json', message: text } } as AnswerBody;
  try {
    parsed = JSON.parse(text) as AnswerBody;
  } catch {
    // keep the text as the message
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

/** Polls `fn` until it returns a truthy value (bounded by count, not by a timing assertion). */
export async function until<T>(fn: () => Promise<T | null | undefined | false> | T | null | undefined | false, what: string, tries = 200, everyMs = 50): Promise<T> {
  let last: unknown;
  for (let i = 0; i < tries; i++) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`gave up waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

export async function scrape(controlUrl: string, tokenFile: string): Promise<string> {
  const token = readFileSync(tokenFile, 'utf8').trim();
  const res = await fetch(new URL('/metrics', controlUrl), { headers: { Authorization: `Bearer ${token}` } });
  if (res.status !== 200) throw new Error(`GET /metrics answered ${res.status}`);
  return res.text();
}

/** The value of one sample in Prometheus text, e.g. metric(text, 'pinebridge_alerts_rejected_total', {reason: 'bad_secret'}). */
export function metric(text: string, name: string, labels: Record<string, string> = {}): number | null {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v) && Object.keys(got).length === Object.keys(labels).length) return Number(m[3]);
  }
  return null;
}

/** Starts a POST whose body is sent only when `finish()` is called: a request in flight. */
export function slowPost(url: string, body: unknown): { finish: () => void; answer: Promise<Answer> } {
  const text = JSON.stringify(body);
  const half = Math.floor(text.length / 2);
  const u = new URL(url);
  let finish: () => void = () => {};
  const answer = new Promise<Answer>((resolve, reject) => {
    const req = request(
      { host: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) } },
      (res) => {
        let data = '';
        res.on('data', (c: Buffer) => (data += c.toString()));
        res.on('end', () => {
          const headers = new Headers();
          for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') headers.set(k, v);
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(data) as AnswerBody, headers });
        });
      },
    );
    req.on('error', reject);
    req.write(text.slice(0, half));
    req.flushHeaders();
    finish = () => req.end(text.slice(half));
  });
  return { finish: () => finish(), answer };
}

/** Alert ids in a journal file (any status). */
export function journalAlertIds(path: string): Set<string> {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return new Set((db.prepare(`SELECT id FROM alerts`).all() as { id: string }[]).map((r) => r.id));
  } finally {
    db.close();
  }
}

export const journalOf = (dataDir: string) => join(dataDir, 'journal.sqlite');
