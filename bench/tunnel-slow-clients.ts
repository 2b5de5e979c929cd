/**
 * Alert answer time through the tunnel while slow clients hold requests open (issue 13, item 3):
 * `pinebridge serve` (paper) behind the real localtunnel client and the local tunnel server with
 * 10 sockets; 10 slow clients trickle their headers or their body (each opens a new request as
 * soon as it is cut off) while TradingView-like alerts are sent one connection each, cancelled
 * after 3 s as TradingView does. Prints one JSON line: per attack, the alerts answered and their
 * answer times (p50 / p99 / max, ms), and what the slow clients were answered.
 *
 *   npx tsx bench/tunnel-slow-clients.ts [--quick]
 */
import { percentiles } from './lib/load.js';
import { postLikeTradingView, startSlowClients, type SlowKind } from '../test/support/slow-clients.js';
import { tempDir } from '../test/support/temp-dir.js';
import { startTunneledServe } from '../test/support/tunnel-serve.js';

const quick = process.argv.includes('--quick');
const SECRET = 'bench-tunnel-secret-0123456789abcdefghij';
const ALERTS = quick ? 30 : 100;
const SOCKETS = 10;
const attacks: { name: string; kinds: SlowKind[]; from: (i: number) => string }[] = [
  { name: 'none', kinds: [], from: () => '127.0.0.2' },
  { name: '10 trickling headers, one source', kinds: Array<SlowKind>(10).fill('headers'), from: () => '127.0.0.2' },
  { name: '10 trickling a body, one source', kinds: Array<SlowKind>(10).fill('body'), from: () => '127.0.0.2' },
  { name: '10 trickling a body, ten sources', kinds: Array<SlowKind>(10).fill('body'), from: (i) => `127.0.1.${i + 1}` },
];

let seq = 0;
const alert = () =>
  JSON.stringify({ secret: SECRET, strategy: 'tv', action: 'buy', symbol: 'BINANCE:BTCUSDT', quantity: '0.001', price: '65000', id: `b-${seq++}` });

async function main(): Promise<void> {
  const dir = tempDir('pinebridge-bench-');
  const t = await startTunneledServe({ dataDir: dir.path, webhookSecret: SECRET, maxConnCount: SOCKETS });
  const results: Record<string, unknown>[] = [];
  try {
    for (const attack of attacks) {
      const slow = startSlowClients({ port: t.tunnelServer.port, path: `/t/${t.id}/webhook`, kinds: attack.kinds, localAddress: attack.from });
      await new Promise((r) => setTimeout(r, attack.kinds.length ? 1500 : 0));
      const ms: number[] = [];
      let answered = 0;
      for (let i = 0; i < ALERTS; i++) {
        const a = await postLikeTradingView(t.publicWebhookUrl, alert(), { localAddress: '127.0.0.3' });
        if (a.status === 200) {
          answered += 1;
          ms.push(a.ms);
        }
        await new Promise((r) => setTimeout(r, 20));
      }
      slow.stop();
      const p = percentiles(ms);
      results.push({ attack: attack.name, alerts: ALERTS, answered, ...p, slowClientAnswers: slow.outcomes() });
      // Let the pool refill before the next attack.
      const end = Date.now() + 5000;
      while (t.tunnelServer.connectedSockets(t.id) < SOCKETS && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    await t.close();
    dir.cleanup();
  }
  console.log(JSON.stringify({ bench: 'tunnel-slow-clients', sockets: SOCKETS, tradingViewCancelMs: 3000, results }));
}

await main();
