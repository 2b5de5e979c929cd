/**
 * Shared setup for the notification tests: a local node:http server standing in for
 * api.telegram.org / discord.com, the tokens it is given, and event fixtures.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AlertSummaryDto, EngineEvent } from '../../shared/api.js';
import type { NoticeBatch, NoticeToggles } from '../../main/engine/notify/index.js';

// --- a stand-in for api.telegram.org / discord.com ----------------------------------------------------

/** A request body as the fake API received it (JSON). */
interface Body {
  text: string;
  content: string;
  chat_id: string;
  [field: string]: unknown;
}

interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Body;
}

export interface FakeApi {
  base: string;
  requests: Received[];
  /** Answer for the next requests (default 200 {"ok":true}). */
  respond: (req: Received) => { status: number; body?: unknown; headers?: Record<string, string> };
  waitFor(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export const servers: FakeApi[] = [];
export const cleanups: (() => Promise<void> | void)[] = [];

/** Runs the cleanups (last first), then closes the fake APIs; each test file runs it in afterEach. */
export async function cleanUp(): Promise<void> {
  for (const c of cleanups.splice(0).reverse()) await c();
  await Promise.all(servers.splice(0).map((s) => s.close()));
}

export async function fakeApi(): Promise<FakeApi> {
  const api: FakeApi = {
    base: '',
    requests: [],
    respond: () => ({ status: 200, body: { ok: true, result: {} } }),
    async waitFor(n, timeoutMs = 5000) {
      const until = Date.now() + timeoutMs;
      while (api.requests.length < n) {
        if (Date.now() > until) throw new Error(`expected ${n} requests, got ${api.requests.length}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    close: async () => {},
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const r: Received = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: (text ? JSON.parse(text) : null) as Body };
      api.requests.push(r);
      const answer = api.respond(r);
      res.writeHead(answer.status, { 'Content-Type': 'application/json', ...answer.headers });
      res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  api.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  api.close = () => new Promise<void>((r) => server.close(() => r()));
  servers.push(api);
  return api;
}

export const TOKEN = '7123456789:AAHk-secret-bot-token_0123456789abcdef';
export const DISCORD_TOKEN = 'discord-webhook-token-abcdefghijklmnop0123456789';
export const DISCORD_URL = `https://discord.com/api/webhooks/112233445566778899/${DISCORD_TOKEN}`;
export const ALL_ON: NoticeToggles = { fills: true, rejectedAlerts: true, errors: true, breaker: true, tunnelDown: true, urlChanged: true };

/** An alert.rejected event; its reason ends in #i, so a batch's text shows which alerts it holds. */
export function rejected(i: number, over: Partial<AlertSummaryDto> = {}): EngineEvent {
  return {
    type: 'alert.rejected',
    alert: {
      id: `A${i}`,
      seq: i,
      receivedAt: 0,
      source: '127.0.0.1',
      dialect: 'native',
      strategy: 'ma-cross',
      action: 'buy',
      symbol: 'BINANCE:BTCUSDT',
      status: 'rejected',
      httpStatus: 400,
      reasonCode: 'unreplaced_placeholder',
      reason: `quantity is {{strategy.order.contracts}} #${i}`,
      duplicateOf: null,
      ...over,
    },
  };
}

export const batchOf = (title: string, body: string): NoticeBatch => ({ title, body, count: 1, kinds: ['errors'] });

/** Polls until cond holds (fails after timeoutMs). */
export async function until(cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
