/**
 * Reliability: slow clients through the tunnel (issue 13, item 3). `pinebridge serve` behind the
 * real localtunnel client and the local tunnel server with 10 sockets, as on localtunnel.me.
 * Ten slow clients, each opening a new request as soon as it is cut off, keep requests open while
 * TradingView-like alerts are sent, each cancelled after 3 s as TradingView does: every alert
 * must be answered 200 accepted, and once the slow clients stop, the tunnel client holds its 10
 * sockets again. Two attacks: five trickling headers and five a body from one address (the
 * per-source cap answers), and ten trickling a body from ten addresses, enough to take every
 * tunnel socket (the reserve of sockets slow bodies may not hold answers).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postLikeTradingView, startSlowClients, type AlertAnswer, type SlowKind } from '../support/slow-clients.js';
import { tempDir } from '../support/temp-dir.js';
import { startTunneledServe, type TunneledServe } from '../support/tunnel-serve.js';

const SECRET = 'rel-tunnel-exhaustion-secret-4Kq8Zp1Wm7Xc';
const SOCKETS = 10;
const ATTACKS = [
  { name: 'five trickling headers and five a body, from one source', kinds: [...Array<SlowKind>(5).fill('headers'), ...Array<SlowKind>(5).fill('body')], from: () => '127.0.0.2' },
  { name: 'ten trickling a body, from ten sources', kinds: Array<SlowKind>(10).fill('body'), from: (i: number) => `127.0.1.${i + 1}` },
];

let seq = 0;
const alert = () =>
  JSON.stringify({ secret: SECRET, strategy: 'tv', action: 'buy', symbol: 'BINANCE:BTCUSDT', quantity: '0.001', price: '65000', id: `tv-${seq++}` });

/** `count` alerts, `parallel` at a time, from TradingView's side (its own source address). */
async function sendAlerts(url: string, count: number, parallel: number): Promise<AlertAnswer[]> {
  const out: AlertAnswer[] = [];
  for (let i = 0; i < count; i += parallel) {
    const group = Array.from({ length: Math.min(parallel, count - i) }, () => postLikeTradingView(url, alert(), { localAddress: '127.0.0.3' }));
    out.push(...(await Promise.all(group)));
  }
  return out;
}

async function until(what: string, check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('slow clients through the local tunnel server with 10 sockets', () => {
  const dir = tempDir();
  let t: TunneledServe;
  beforeAll(async () => {
    t = await startTunneledServe({ dataDir: dir.path, webhookSecret: SECRET, maxConnCount: SOCKETS });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    dir.cleanup();
  });

  for (const attack of ATTACKS) {
    it(`still answers every alert while 10 slow clients hold requests open: ${attack.name}`, async () => {
      const slow = startSlowClients({ port: t.tunnelServer.port, path: `/t/${t.id}/webhook`, kinds: attack.kinds, localAddress: attack.from });
      try {
        await until('the slow clients to be in place', () => slow.open() === SOCKETS);
        await new Promise((r) => setTimeout(r, 1000));
        const answers = await sendAlerts(t.publicWebhookUrl, 30, 3);
        const accepted = answers.filter((a) => a.status === 200 && (JSON.parse(a.body) as { status?: string }).status === 'accepted');
        const ms = answers.map((a) => Math.round(a.ms)).sort((a, b) => a - b);
        console.log(JSON.stringify({ attack: attack.name, answered: accepted.length, of: answers.length, p50Ms: ms[14], maxMs: ms.at(-1), slow: slow.outcomes() }));
        expect(answers.filter((a) => a.status !== 200).map((a) => `${a.status} ${a.body}`)).toEqual([]);
        expect(accepted).toHaveLength(30);
        // The body tricklers were cut off with an answer (429 / 503 / 408), not left to hold sockets.
        const cutOff = Object.entries(slow.outcomes()).filter(([status]) => ['408', '429', '503'].includes(status));
        expect(cutOff.length).toBeGreaterThan(0);
      } finally {
        slow.stop();
      }
      await until(`the tunnel client to hold its ${SOCKETS} sockets again`, () => t.tunnelServer.connectedSockets(t.id) === SOCKETS);
    }, 60_000);
  }
});
