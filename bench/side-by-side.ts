/**
 * Side by side, in the same run: Pinebridge (`pinebridge serve --mode live`) and a reference
 * receiver written to the seed document's design (Flask, executing the trade inside the request,
 * bench/reference/seed_flask_receiver.py), both against the same exchange simulator answering
 * every request in 150 ms. Prints one JSON line with both figures and their ratio for ack p99,
 * burst completion and signal-to-order.
 *
 *   npx tsx bench/side-by-side.ts [--quick]
 */
import { DEFAULT_API_KEY, DEFAULT_SECRET, startExchangeSimulator, type Simulator } from '../test/support/exchange-simulator/index.js';
import { spawnServe } from '../test/support/serve-process.js';
import { tempDir } from '../test/support/temp-dir.js';
import { atRate, burst, percentiles, post } from './lib/load.js';
import { startFlask } from './lib/receivers.js';

const quick = process.argv.includes('--quick');
const SECRET = 'side-by-side-secret-0123456789abcdef';
const EXCHANGE_LATENCY_MS = 150;

interface Figures {
  ackP99At100: number;
  ackP50At100: number;
  burstLastAnswerMs: number;
  burstAfter3s: number;
  burstAnswered200: number;
  signalToOrderP50: number;
  signalToOrderP99: number;
}

let seq = 0;
const alert = (i: number) =>
  JSON.stringify({ action: i % 2 ? 'sell' : 'buy', symbol: 'BTCUSDT', quantity: '0.0003', secret: SECRET, price: 65000, time: String(Date.now()), id: `sbs-${seq++}` });

async function measure(url: string, sim: Simulator): Promise<Figures> {
  // Signal-to-order: one alert at a time, from sending it to its order request reaching the exchange.
  const s2o: number[] = [];
  for (let i = 0; i < (quick ? 10 : 30); i++) {
    const before = sim.requests({ method: 'POST', path: '/api/v3/order' }).length;
    const sent = Date.now();
    await post(url, alert(i));
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      const orders = sim.requests({ method: 'POST', path: '/api/v3/order' });
      if (orders.length > before) {
        s2o.push(orders[before]!.time - sent);
        break;
      }
      await new Promise((r) => setTimeout(r, 2));
    }
    await new Promise((r) => setTimeout(r, 600)); // let the previous trade settle before the next
  }
  const steady = await atRate(url, alert, 100, quick ? 3 : 10);
  const b = await burst(url, alert, 1000);
  const ack = percentiles(steady.map((a) => a.ms));
  const s = percentiles(s2o);
  return {
    ackP50At100: ack.p50,
    ackP99At100: ack.p99,
    burstLastAnswerMs: Math.round(b.lastMs),
    burstAfter3s: b.answers.filter((a) => a.ms > 3000 || a.status === 0).length,
    burstAnswered200: b.answers.filter((a) => a.status === 200).length,
    signalToOrderP50: s.p50,
    signalToOrderP99: s.p99,
  };
}

async function runPinebridge(): Promise<Figures> {
  const sim = await startExchangeSimulator({ latencyMs: EXCHANGE_LATENCY_MS, balances: { USDT: 1e6, BTC: 100 } });
  const dir = tempDir('pinebridge-sbs-');
  const server = await spawnServe({
    dataDir: dir.path,
    args: ['--mode', 'live', '--exchange-url', sim.url, '--log-level', 'warn'],
    env: { PINEBRIDGE_WEBHOOK_SECRET: SECRET, PINEBRIDGE_API_KEY: DEFAULT_API_KEY, PINEBRIDGE_API_SECRET: DEFAULT_SECRET },
  });
  try {
    return await measure(server.webhookUrl, sim);
  } finally {
    await server.stop();
    await sim.close();
    dir.cleanup();
  }
}

async function runFlask(): Promise<Figures> {
  const sim = await startExchangeSimulator({ latencyMs: EXCHANGE_LATENCY_MS, balances: { USDT: 1e6, BTC: 100 } });
  try {
    const flask = await startFlask({ secret: SECRET, exchangeUrl: sim.url, apiKey: DEFAULT_API_KEY, apiSecret: DEFAULT_SECRET });
    try {
      return await measure(flask.url, sim);
    } finally {
      await flask.stop();
    }
  } finally {
    await sim.close();
  }
}

const pinebridge = await runPinebridge();
const flask = await runFlask();
const ratio = (k: keyof Figures) => Math.round((flask[k] / Math.max(pinebridge[k], 0.01)) * 10) / 10;
console.log(
  JSON.stringify({
    bench: 'side-by-side',
    quick,
    exchangeLatencyMs: EXCHANGE_LATENCY_MS,
    pinebridge,
    seedFlask: flask,
    flaskOverPinebridge: { ackP99At100: ratio('ackP99At100'), burstLastAnswerMs: ratio('burstLastAnswerMs'), signalToOrderP50: ratio('signalToOrderP50') },
  }),
);
