/**
 * Reliability: bad input. A generated corpus of hostile and broken webhook requests (see
 * hostile-corpus.ts) against `pinebridge serve --mode live` and the exchange simulator:
 * - every one is answered 4xx with `{"error":{"code","message"}}` and a message, and no answer
 *   carries a header the request tried to inject;
 * - the server stays up, makes no order (no order request reaches the exchange) and journals
 *   none of them as an accepted alert, nor the webhook secret some of them carry;
 * - nothing was polluted or executed: alerts that need a prototype's help to be valid are still
 *   refused, the control API answers, and a valid alert sent afterwards is executed, once.
 *
 * Each case claims its own source address (X-Forwarded-For, trusted from loopback as configured), so the corpus
 * exercises validation rather than the per-source limiters; one group probes the secret from one
 * source on purpose and must meet the auth-failure limiter.
 *
 * Seeded: `PINEBRIDGE_BAD_INPUT_SEED=<seed>` replays the same corpus.
 */
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatusDto } from '../../shared/api.js';
import { startExchangeSimulator, type Simulator } from '../support/exchange-simulator/index.js';
import { dumpTextCells, readAlerts } from '../support/journal-reader.js';
import { FAST_EXECUTION, NO_RISK_LIMITS, postWebhook, spawnLive, writeSettings } from '../support/live-serve.js';
import { rawRequest, type RawRequest, type RawResponse } from '../support/raw-http.js';
import { seededRandom, testSeed } from '../support/seeded-random.js';
import type { ServeProcess } from '../support/serve-process.js';
import { tempDir } from '../support/temp-dir.js';
import { buildCorpus, CATEGORIES, pwnedFile, type Category, type HostileCase } from './hostile-corpus.js';

const SEED = testSeed('PINEBRIDGE_BAD_INPUT_SEED', 4_040_404);
const WEBHOOK_SECRET = 'rel-bad-input-secret-Q7mZ2xV9kL4pR8tN1wB6yH3c';
const CONCURRENCY = 12;

interface Outcome {
  c: HostileCase;
  res: RawResponse;
  problem: string | null;
}

function toRaw(c: HostileCase, port: number, source: string): RawRequest {
  if (c.rawHead !== undefined) return { head: c.rawHead, body: c.body };
  let body = c.body;
  const headers: [string, string][] = [...c.headers];
  if (c.chunkBytes) {
    const parts: Buffer[] = [];
    for (let at = 0; at < body.length; at += c.chunkBytes) {
      const piece = body.subarray(at, at + c.chunkBytes);
      parts.push(Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n'));
    }
    parts.push(Buffer.from('0\r\n\r\n'));
    body = Buffer.concat(parts);
    headers.push(['Transfer-Encoding', 'chunked']);
  } else if (!headers.some(([k]) => k.toLowerCase() === 'content-length') && (body.length > 0 || c.method !== 'GET')) {
    headers.push(['Content-Length', String(body.length)]);
  }
  const lines = [`${c.method} ${c.path} HTTP/1.1`, `Host: 127.0.0.1:${port}`, `X-Forwarded-For: ${c.source ?? source}`, 'Connection: close', ...headers.map(([k, v]) => `${k}: ${v}`)];
  return { head: Buffer.from(lines.join('\r\n'), 'latin1'), body, ...(c.trickle ? { trickle: c.trickle } : {}) };
}

/** What is wrong with an answer to a hostile case (null: nothing). */
function judge(c: HostileCase, res: RawResponse): string | null {
  if (res.status === 0) return `no HTTP answer (${res.error ?? 'closed'})`;
  if (res.status < 400 || res.status > 499) return `status ${res.status}: ${res.body.slice(0, 200)}`;
  if (c.status !== undefined && res.status !== c.status) return `status ${res.status}, expected ${c.status}: ${res.body.slice(0, 200)}`;
  let body: { error?: { code?: unknown; message?: unknown } };
  try {
    body = JSON.parse(res.body) as typeof body;
  } catch {
    return `status ${res.status} without a JSON body: ${JSON.stringify(res.body.slice(0, 120))}`;
  }
  const { code, message } = body.error ?? {};
  if (typeof code !== 'string' || code === '') return `no error.code: ${res.body.slice(0, 200)}`;
  if (typeof message !== 'string' || message.trim() === '') return `no error.message: ${res.body.slice(0, 200)}`;
  if (c.code !== undefined && code !== c.code) return `code ${code}, expected ${c.code}`;
  for (const h of ['set-cookie', 'x-injected']) if (res.headers[h] !== undefined) return `answer carries an injected ${h} header`;
  return null;
}

describe('reliability: hostile webhook input', () => {
  let sim: Simulator;
  let child: ServeProcess;
  const dir = tempDir('pinebridge-rel-input-');

  beforeAll(async () => {
    sim = await startExchangeSimulator({ balances: { USDT: 1_000_000, BTC: 10 } });
    // Slow bodies are refused after 1.5 s (default 10 s), so the trickled ones do not hold the suite up.
    // The test client plays a reverse proxy on loopback: its X-Forwarded-For is believed.
    writeSettings(dir.path, { ...NO_RISK_LIMITS, execution: FAST_EXECUTION, webhook: { bodyTimeoutSec: 1.5, trustProxy: ['127.0.0.1'] } });
    child = await spawnLive({ dataDir: dir.path, sim, webhookSecret: WEBHOOK_SECRET });
  });
  afterAll(async () => {
    await child?.kill9();
    await sim?.close();
    dir.cleanup();
  });

  it('every hostile request gets a 4xx with a clear error; no order, no accepted alert, no leaked secret; the server keeps working', async ({ onTestFailed }) => {
    onTestFailed(() => console.error(`[reliability/bad-input] FAILED with seed ${SEED} (replay: PINEBRIDGE_BAD_INPUT_SEED=${SEED})`));
    const rng = seededRandom(SEED);
    const corpus = rng.shuffle(buildCorpus(WEBHOOK_SECRET, rng, SEED));
    const port = Number(new URL(child.webhookUrl).port);
    const counts = Object.fromEntries(CATEGORIES.map((k) => [k, corpus.filter((c) => c.category === k).length])) as Record<Category, number>;
    console.info(`[reliability/bad-input] seed ${SEED}: ${corpus.length} cases ${JSON.stringify(counts)}`);
    expect(corpus.length).toBeGreaterThanOrEqual(200);
    for (const k of CATEGORIES) expect(counts[k], k).toBeGreaterThan(0);

    const send = async (c: HostileCase, i: number): Promise<Outcome> => {
      const source = `10.${CATEGORIES.indexOf(c.category)}.${(i >> 8) & 255}.${i & 255}`;
      const res = await rawRequest(port, toRaw(c, port, source), 30_000);
      return { c, res, problem: judge(c, res) };
    };
    const outcomes: Outcome[] = [];
    // Slow bodies run alongside everything else; the secret probe runs in order from one source.
    const slow = corpus.filter((c) => c.trickle).map((c, i) => send(c, 10_000 + i));
    for (const [i, c] of corpus.filter((x) => x.sequential).entries()) outcomes.push(await send(c, 20_000 + i));
    const rest = corpus.filter((c) => !c.trickle && !c.sequential);
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < rest.length) {
          const i = next++;
          outcomes.push(await send(rest[i]!, i));
        }
      }),
    );
    outcomes.push(...(await Promise.all(slow)));
    expect(outcomes).toHaveLength(corpus.length);

    const problems = outcomes.filter((o) => o.problem).map((o) => `[${o.c.category}] ${o.c.name}: ${o.problem}`);
    expect(problems, `seed ${SEED}`).toEqual([]);

    // The probe from one source met the auth-failure limiter: 401 up to its burst, then 429.
    const probe = outcomes.filter((o) => o.c.category === 'timing-probe').map((o) => o.res.status);
    expect(probe.filter((s) => s === 401).length).toBeLessThanOrEqual(20);
    expect(probe).toContain(429);

    // The server is up and made no order; the journal holds rejections only, without the secret.
    expect(child.proc.exitCode).toBeNull();
    const health = await fetch(`${child.baseUrl}/healthz`);
    expect(health.status).toBe(200);
    expect(sim.requestCount('POST', '/api/v3/order')).toBe(0);
    expect(sim.orders()).toHaveLength(0);
    const alerts = readAlerts(dir.path);
    expect(alerts.filter((a) => a.status !== 'rejected').map((a) => `${a.status}: ${a.body.slice(0, 80)}`)).toEqual([]);
    expect(alerts.filter((a) => a.http_status < 400 || a.http_status > 499)).toEqual([]);
    const journaledIds = new Set(alerts.map((a) => a.id));
    const answeredIds = outcomes.map((o) => (JSON.parse(o.res.body || '{}') as { alertId?: string }).alertId).filter((id): id is string => !!id);
    expect(answeredIds.filter((id) => !journaledIds.has(id))).toEqual([]);
    const leaks = dumpTextCells(dir.path).filter((cell) => cell.value.includes(WEBHOOK_SECRET));
    expect(leaks.map((l) => `${l.table}.${l.column}#${l.rowid}`), 'the webhook secret in the journal').toEqual([]);
    expect(existsSync(pwnedFile(SEED)), 'a shell injection ran').toBe(false);
    const log = readFileSync(`${dir.path}/logs/pinebridge.log`, 'utf8');
    expect(log).not.toContain('webhook handler failed');
    expect(log).not.toContain(WEBHOOK_SECRET);

    // Nothing was polluted: what a polluted prototype would have completed is still refused.
    const noAction = await postWebhook(child.webhookUrl, { secret: WEBHOOK_SECRET, strategy: 'after', symbol: 'BTCUSDT' }, { xff: '198.51.100.1' });
    expect(noAction.status).toBe(400);
    expect(noAction.json?.error?.code).toBe('missing_field');
    const noSecret = await postWebhook(child.webhookUrl, { action: 'buy', symbol: 'BTCUSDT', quantity: '0.001' }, { xff: '198.51.100.2' });
    expect(noSecret.status).toBe(401);
    expect(noSecret.json?.error?.code).toBe('missing_secret');
    const token = readFileSync(child.tokenFile, 'utf8').trim();
    const statusRes = await fetch(new URL('api/getStatus', child.controlUrl), { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' });
    const status = (await statusRes.json()) as { ok: boolean; result: StatusDto & Record<string, unknown> };
    expect(status.ok).toBe(true);
    expect(status.result).toMatchObject({ mode: 'live', trading: { paused: false } });
    // What the pollution payloads tried to plant does not show up on the server's objects.
    for (const key of ['polluted', 'isAdmin', 'action', 'secret']) expect(Object.keys(status.result), key).not.toContain(key);

    // The control listener (loopback only) meets hostile paths too: never a 5xx, never a file outside the UI.
    const controlPort = Number(new URL(child.controlUrl).port);
    for (const path of ['/%E0%A4%A', '/assets/%E0', '/%', '/../../../../etc/passwd', '/%2e%2e/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2f..%2fetc%2fpasswd', '/assets/..%5c..%5c..%5cetc%5cpasswd']) {
      const res = await rawRequest(controlPort, { head: `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${controlPort}\r\nConnection: close` });
      expect(res.status, `control GET ${path}: ${res.body.slice(0, 120)}`).toBeGreaterThanOrEqual(200);
      expect(res.status, `control GET ${path}: ${res.body.slice(0, 120)}`).toBeLessThan(500);
      expect(res.body, `control GET ${path}`).not.toMatch(/root:.*:0:0:/);
    }

    // A valid alert afterwards is taken and executed, once.
    const ok = await postWebhook(child.webhookUrl, { secret: WEBHOOK_SECRET, strategy: 'after', action: 'buy', symbol: 'BINANCE:BTCUSDT', quantity: '0.001', price: '65000', id: 'after-the-corpus' }, { xff: '198.51.100.3' });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.json?.status).toBe('accepted');
    const id = ok.json!.alertId!;
    const until = Date.now() + 15_000;
    while (readAlerts(dir.path).find((a) => a.id === id)?.status !== 'executed') {
      if (Date.now() > until) throw new Error(`the valid alert was not executed: ${JSON.stringify(readAlerts(dir.path).find((a) => a.id === id))}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(sim.ordersByClientId(`pb${id}-0`)).toHaveLength(1);
    expect(sim.orders()).toHaveLength(1);
  });
});
