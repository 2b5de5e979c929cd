/**
 * Reliability: secrets. A full run of `pinebridge serve --mode live` (trace-level JSON logs) with
 * every kind of secret in play: exchange keys from the environment, a second account's keys set
 * over the control API, the webhook secret, the control token, Telegram and Discord credentials,
 * and an exchange that echoes the keys back in its error messages. Alerts carry the secrets in
 * every place a person might paste them; some fail, some are refused.
 *
 * Afterwards no secret (nor any 16-character piece of one) may be found in: the console output,
 * any log file, any file of the data dir but the secret stores themselves, any text column of
 * any journal table, the settings file, any answer of the control API (every read command and
 * the writes used here, over HTTP with the token), the metrics, the web UI, or the SSE stream.
 * The one designed exception: `getWebhookInfo` shows the webhook secret (the UI displays it).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeSecretFileName } from '../../main/engine/secrets/index.js';
import { commandArgs, type CommandName } from '../../shared/api.js';
import { startExchangeSimulator, type Simulator } from '../support/exchange-simulator/index.js';
import { dumpTextCells, readAlerts } from '../support/journal-reader.js';
import { FAST_EXECUTION, NO_RISK_LIMITS, postWebhook, spawnLive, writeSettings } from '../support/live-serve.js';
import type { ServeProcess } from '../support/serve-process.js';
import { tempDir } from '../support/temp-dir.js';

const API_KEY = 'relKEYlive7Hq2Zx9Wm4Vb8Nc1Xs5Ld3Kf6Jg0Ph2Tr9Ye4Uw';
const API_SECRET = 'relSECRETlive3Mn8Bv1Cx6Zl4Kj9Hg2Fd7Sa5Qw0Er3Ty8Ui';
const ALT_KEY = 'relKEYalt5Rt8Yu2Io4Pa6Sd9Fg1Hj3Kl7Zx0Cv5Bn8Mq2We';
const ALT_SECRET = 'relSECRETalt9Op2As5Df8Gh1Jk4Lz7Xc0Vb3Nm6Qw9Er2Ty';
const WEBHOOK_SECRET = 'relHOOKsecret4Ab7Cd0Ef3Gh6Ij9Kl2Mn5Op8Qr1St';
const TELEGRAM_TOKEN = '7301234567:AAHrelTGtoken5Xy8Zw1Vu4Ts7Rq0Po3Nm6Lk';
const DISCORD_TOKEN = 'relDISCORDtoken2Ws5Ed8Rf1Tg4Yh7Uj0Ik3Ol6Pz9';
const DISCORD_URL = `https://discord.com/api/webhooks/112233445566778899/${DISCORD_TOKEN}`;
/** A piece of a secret at least this long is a leak. */
const PIECE = 16;

const READ_PREFIX = /^(get|list|check|export|recent)/;
/** Commands that change state: not called blindly (a new command must be placed here or be a read). */
const WRITES = new Set([
  'pauseTrading', 'resumeTrading', 'updateSettings', 'saveStrategy', 'deleteStrategy', 'setNotificationSecret', 'setCredentials',
  'deleteCredentials', 'startTunnel', 'stopTunnel', 'probeTunnel', 'sendTestAlert', 'resetBreaker', 'reconcile', 'acceptReconciliation',
  'importBacktest', 'probeExchange',
]);

/** An exchange-adjacent service that refuses everything and echoes the request back (token and all). */
function startEchoServer(): Promise<{ server: Server; url: string; seen: string[] }> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      seen.push(`${req.method} ${req.url} ${body}`);
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: false, error_code: 401, description: `Unauthorized: ${req.url}`, message: `Invalid Webhook Token ${req.url}`, code: 50027 }));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen })));
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

describe('reliability: no secret anywhere', () => {
  let sim: Simulator;
  let echo: Awaited<ReturnType<typeof startEchoServer>>;
  let child: ServeProcess | null = null;
  const dir = tempDir('pinebridge-rel-secrets-');

  beforeAll(async () => {
    sim = await startExchangeSimulator({ credentials: [{ apiKey: API_KEY, secret: API_SECRET }], balances: { USDT: 1_000_000, BTC: 10 } });
    echo = await startEchoServer();
  });
  afterAll(async () => {
    await child?.kill9();
    await sim?.close();
    echo?.server.close();
    dir.cleanup();
  });

  it('after a full run with keys set, no key, secret or token is in a log, the journal, the settings, an API answer or the event stream', async () => {
    writeSettings(dir.path, {
      ...NO_RISK_LIMITS,
      execution: FAST_EXECUTION,
      notifications: {
        fills: true,
        errors: true,
        rejectedAlerts: true,
        batchWindowSec: 1,
        telegram: { enabled: true, chatId: '424242', apiBaseUrl: echo.url },
        discord: { enabled: true, apiBaseUrl: echo.url },
      },
    });
    child = await spawnLive({ dataDir: dir.path, sim, webhookSecret: WEBHOOK_SECRET, apiKey: API_KEY, apiSecret: API_SECRET, args: ['--log-level', 'trace', '--json-logs'] });
    const server = child;
    const token = readFileSync(server.tokenFile, 'utf8').trim();
    const secrets: Record<string, string> = {
      'exchange API key': API_KEY,
      'exchange API secret': API_SECRET,
      'second account API key': ALT_KEY,
      'second account API secret': ALT_SECRET,
      'webhook secret': WEBHOOK_SECRET,
      'control token': token,
      'Telegram bot token': TELEGRAM_TOKEN,
      'Discord webhook token': DISCORD_TOKEN,
    };
    const haystacks = new Map<string, string>();

    // The event stream, from the start (token in the query string, as the browser UI does it).
    const sse = new AbortController();
    let events = '';
    const sseDone = fetch(new URL(`api/events?token=${encodeURIComponent(token)}`, server.controlUrl), { signal: sse.signal })
      .then(async (res) => {
        expect(res.status).toBe(200);
        const reader = res.body!.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          events += Buffer.from(value).toString('utf8');
        }
      })
      // Ended by the test's abort (or cut when the server stops): what arrived is checked below.
      .catch(() => undefined);

    const api = async (name: string, args: Record<string, unknown> = {}): Promise<{ status: number; text: string }> => {
      const res = await fetch(new URL(`api/${name}`, server.controlUrl), {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(args),
      });
      const text = await res.text();
      haystacks.set(`API ${name} ${JSON.stringify(args).slice(0, 80)}`, text);
      return { status: res.status, text };
    };

    // Secrets given over the control API.
    expect((await api('setNotificationSecret', { kind: 'telegramToken', value: TELEGRAM_TOKEN })).status).toBe(200);
    expect((await api('setNotificationSecret', { kind: 'discordWebhookUrl', value: DISCORD_URL })).status).toBe(200);
    expect((await api('setCredentials', { account: 'alt', mode: 'live', apiKey: ALT_KEY, secret: ALT_SECRET })).status).toBe(200);
    await api('checkCredentials', { account: 'main', mode: 'live' });
    await api('checkCredentials', { account: 'alt', mode: 'live' });
    await api('saveStrategy', { strategy: { name: 'sec-test', symbol: 'BTCUSDT', quantity: '0.001' } });

    // Alerts carrying the secrets wherever a person might paste them.
    const post = (body: unknown, o: { path?: string; contentType?: string } = {}) => postWebhook(server.webhookUrl, body, o);
    const base = { strategy: 'sec', action: 'buy', symbol: 'BTCUSDT', quantity: '0.001', price: '65000' };
    const accepted: string[] = [];
    const take = async (p: ReturnType<typeof post>) => {
      const a = await p;
      expect(a.status, a.text).toBe(200);
      accepted.push(a.json!.alertId!);
    };
    await take(post({ secret: WEBHOOK_SECRET, ...base, id: 'plain' }));
    await take(post({ ...base, id: 'path-secret' }, { path: `/${WEBHOOK_SECRET}` }));
    await take(post({ secret: WEBHOOK_SECRET, ...base, id: `pasted ${API_KEY}`, comment: `keys ${API_KEY} ${API_SECRET} ${WEBHOOK_SECRET} ${token}` }));
    // The exchange echoes the keys in an error, then the retry succeeds.
    sim.injectFault({ kind: 'http500', method: 'POST', path: '/api/v3/order', body: { code: -1001, msg: `Internal error for key ${API_KEY} secret ${API_SECRET}` } });
    await take(post({ secret: WEBHOOK_SECRET, ...base, id: 'echoed-by-exchange' }));
    await take(post({ secret: WEBHOOK_SECRET, ...base, quantity: '1000', id: 'insufficient' }));
    await take(post({ secret: WEBHOOK_SECRET, ...base, account: 'alt', id: 'second-account' }));
    const refused = [
      await post({ secret: 'wrong', ...base, note: WEBHOOK_SECRET, id: 'wrong-secret' }),
      await post({ secret: WEBHOOK_SECRET.slice(0, -1) + 'x', ...base, id: 'near-miss' }),
      await post({ ...base, id: 'near-miss-path' }, { path: `/${WEBHOOK_SECRET.slice(0, -1)}` }),
      await post({ ...base, id: 'query-secret' }, { path: `?secret=${WEBHOOK_SECRET}` }),
      await post(`buy BTCUSDT secret=${WEBHOOK_SECRET} key=${API_SECRET}`, { contentType: 'text/plain' }),
      await post({ secret: WEBHOOK_SECRET, ...base, quantity: WEBHOOK_SECRET, id: 'secret-as-quantity' }),
      await post({ secret: WEBHOOK_SECRET, ...base, action: API_SECRET, id: 'key-as-action' }),
    ];
    for (const r of refused) {
      expect(r.status, r.text).toBeGreaterThanOrEqual(400);
      haystacks.set(`webhook answer ${r.status} ${r.text.slice(0, 40)}`, r.text);
    }
    const get = await fetch(`${server.webhookUrl}/${WEBHOOK_SECRET}`);
    haystacks.set('webhook answer to GET /webhook/<secret>', await get.text());
    // Refused in live mode (it would trade), with a message: that answer is scanned too.
    await api('sendTestAlert', { strategy: 'sec-test', via: 'local', price: '65000' });

    // Everything settles: alerts executed or failed, both notification channels tried (and refused).
    const until = Date.now() + 20_000;
    for (;;) {
      const pending = readAlerts(dir.path).filter((a) => a.status === 'accepted' || a.status === 'executing');
      const notified = echo.seen.some((s) => s.includes('/sendMessage')) && echo.seen.some((s) => s.includes('/api/webhooks/'));
      if (pending.length === 0 && notified) break;
      if (Date.now() > until) throw new Error(`not settled: ${pending.length} alerts pending, notifications seen: ${echo.seen.length}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const clientId = (body: string) => {
      try {
        return String((JSON.parse(body) as { id?: unknown }).id);
      } catch {
        return '';
      }
    };
    const byClientId = new Map(readAlerts(dir.path).map((a) => [clientId(a.body), a]));
    expect(byClientId.get('plain')?.status).toBe('executed');
    expect(byClientId.get('echoed-by-exchange')?.status).toBe('executed');
    expect(byClientId.get('insufficient')?.status).toBe('failed');
    expect(byClientId.get('second-account')?.status).toBe('failed');
    // The secrets really went where they belong: the bot token in Telegram's URL, the Discord token in its path.
    expect(echo.seen.some((s) => s.includes(`/bot${TELEGRAM_TOKEN}/sendMessage`))).toBe(true);
    expect(echo.seen.some((s) => s.includes(`/${DISCORD_TOKEN}`))).toBe(true);
    await new Promise((r) => setTimeout(r, 1500)); // the refused notifications are logged

    // Every read command of the control API, with arguments that make it show something.
    const alertIds = readAlerts(dir.path).map((a) => a.id);
    const names = Object.keys(commandArgs) as CommandName[];
    const unclassified = names.filter((n) => !READ_PREFIX.test(n) && !WRITES.has(n));
    expect(unclassified, 'commands neither read nor known writes: classify them here').toEqual([]);
    for (const name of names.filter((n) => READ_PREFIX.test(n) && !WRITES.has(n))) {
      const argSets: Record<string, unknown>[] =
        name === 'getAlert' || name === 'getAlertLatency'
          ? alertIds.map((id) => ({ id }))
          : name === 'listAlerts'
            ? [{ limit: 500 }]
            : name === 'recentLogs'
              ? [{ limit: 1000 }]
              : name === 'checkCredentials'
                ? [{ account: 'main', mode: 'live' }, { account: 'alt', mode: 'live' }]
                : name === 'exportTrades'
                  ? [{ format: 'csv' }, { format: 'json' }, { format: 'csv', summary: true }]
                  : name === 'listFills'
                    ? [{ limit: 5000 }]
                    : [{}];
      for (const args of argSets) {
        const r = await api(name, args);
        expect(r.status, `${name}: ${r.text.slice(0, 200)}`).toBeLessThan(500);
      }
    }
    const metrics = await fetch(new URL('metrics', server.controlUrl), { headers: { authorization: `Bearer ${token}` } });
    haystacks.set('GET /metrics', await metrics.text());
    haystacks.set('GET / (web UI)', await (await fetch(server.controlUrl)).text());

    sse.abort();
    await sseDone;
    expect(events).toContain('event: alert.executed');
    haystacks.set('SSE event stream', events);
    expect(await server.stop('SIGTERM')).toBe(0);
    child = null;
    haystacks.set('console output', server.output());

    // Files of the data dir: all but the secret stores themselves (0600 files by design).
    for (const file of filesUnder(dir.path)) {
      const name = relative(dir.path, file);
      if (name === 'control-token' || decodeSecretFileName(name) !== null || statSync(file).size > 64 * 1024 * 1024) continue;
      haystacks.set(`file ${name}`, readFileSync(file).toString('latin1'));
    }
    expect([...haystacks.keys()].some((k) => k.startsWith('file logs/'))).toBe(true);
    expect(haystacks.has('file settings.json')).toBe(true);
    for (const cell of dumpTextCells(dir.path)) {
      const key = `journal ${cell.table}.${cell.column}`;
      haystacks.set(key, `${haystacks.get(key) ?? ''}\n${cell.value}`);
    }

    const pieces = (value: string) => Array.from({ length: value.length - PIECE + 1 }, (_, i) => value.slice(i, i + PIECE));
    const leaksIn = (hay: Map<string, string>) => {
      const found: string[] = [];
      for (const [where, text] of hay) {
        for (const [what, value] of Object.entries(secrets)) {
          if (what === 'webhook secret' && where.startsWith('API getWebhookInfo')) continue; // shown in the UI by design
          const piece = pieces(value).find((p) => text.includes(p));
          if (!piece) continue;
          // Where it sits, the piece itself masked: enough to find the code that wrote it.
          const at = text.indexOf(piece);
          const around = text.slice(Math.max(0, at - 160), at + 60).split(piece).join(`<${what}>`).replace(/\s+/g, ' ');
          found.push(`${what} in ${where}: …${around}…`);
        }
      }
      return found;
    };
    // The scan finds what is there: the secret stores hold the keys.
    const stores = filesUnder(dir.path).filter((f) => decodeSecretFileName(relative(dir.path, f)) !== null);
    expect(leaksIn(new Map(stores.map((f) => [f, readFileSync(f, 'utf8')]))).length).toBeGreaterThan(0);
    expect(haystacks.get('API getWebhookInfo {}')).toContain(WEBHOOK_SECRET);

    console.info(`[reliability/secrets] scanned ${haystacks.size} places for ${Object.keys(secrets).length} secrets`);
    expect(leaksIn(haystacks)).toEqual([]);
  });
});
