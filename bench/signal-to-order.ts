/**
 * Signal-to-order: from an alert's receipt at the webhook to its order request being handed to
 * the venue (`order.sent`'s signalToOrderMs), and from the alert's journal commit (`alert.accepted`,
 * just before the answer) to the same point. A real engine in-process, alerts POSTed one at a time
 * over new connections; paper mode, then live against the exchange simulator. Then the steady
 * case the execution queue is for: the simulator answering every request in 150 ms, alerts at
 * 10/s on one market (fixed-size market orders, sent without waiting for the previous answer).
 * Prints one JSON line.
 *
 *   npx tsx bench/signal-to-order.ts [--quick]
 */
import type { EngineEvent } from '../shared/api.js';
import { startExchangeSimulator } from '../test/support/exchange-simulator/index.js';
import { startExec, type ExecHarness } from '../test/execution/exec-harness.js';
import { percentiles } from './lib/load.js';

const quick = process.argv.includes('--quick');
const N = quick ? 100 : 500;

async function measure(h: ExecHarness, symbol: string, price: string): Promise<Record<string, unknown>> {
  const accepted = new Map<string, number>();
  const fromReceipt: number[] = [];
  const fromCommit: number[] = [];
  const off = h.engine.events.subscribe((e: EngineEvent) => {
    if (e.type === 'alert.accepted') accepted.set(e.alert.id, performance.now());
    if (e.type === 'order.sent' && e.signalToOrderMs !== null) {
      fromReceipt.push(e.signalToOrderMs);
      const a = accepted.get(e.order.alertId);
      if (a !== undefined) fromCommit.push(performance.now() - a);
    }
  });
  for (let i = 0; i < N; i++) {
    await h.alert({ strategy: `b${i % 10}`, action: i % 2 ? 'sell' : 'buy', symbol, quantity: '0.001', price, id: `bench-${i}-${Date.now()}` });
    await h.engine.executionIdle();
  }
  off();
  // The first includes warm-up (statement preparation, ccxt's first request): reported apart.
  return { n: fromReceipt.length, firstMs: round(fromReceipt[0] ?? NaN), receiptToSentMs: percentiles(fromReceipt.slice(1)), commitToSentMs: percentiles(fromCommit.slice(1)) };
}

/** `rate` alerts/s on one market for `seconds`, not waiting for execution: signal-to-order under a steady stream. */
async function steady(h: ExecHarness, rate: number, seconds: number): Promise<Record<string, unknown>> {
  const fromReceipt: number[] = [];
  const off = h.engine.events.subscribe((e: EngineEvent) => {
    if (e.type === 'order.sent' && e.signalToOrderMs !== null) fromReceipt.push(e.signalToOrderMs);
  });
  const n = rate * seconds;
  const t0 = performance.now();
  const posts: Promise<string>[] = [];
  for (let i = 0; i < n; i++) {
    const wait = t0 + (i * 1000) / rate - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    posts.push(h.alert({ strategy: 'steady', action: i % 2 ? 'sell' : 'buy', symbol: 'BINANCE:BTCUSDT', quantity: '0.001', price: '65000', id: `steady-${i}-${Date.now()}` }));
  }
  await Promise.all(posts);
  await h.engine.executionIdle();
  off();
  return { rate, seconds, exchangeMs: 150, n: fromReceipt.length, receiptToSentMs: percentiles(fromReceipt) };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

async function main() {
  const figures: Record<string, unknown> = { bench: 'signal-to-order', quick, alerts: N };
  const paper = await startExec({ overrides: { paper: { balances: { USDT: 1e9, BTC: 1e6 } } } });
  try {
    figures.paper = await measure(paper, 'BINANCE:BTCUSDT', '65000');
  } finally {
    await paper.close();
  }
  const sim = await startExchangeSimulator({ balances: { USDT: 1e9, BTC: 1e6 } });
  const live = await startExec({ sim });
  try {
    await live.engine.executionIdle();
    figures.liveSimulator = await measure(live, 'BINANCE:BTCUSDT', '65000');
  } finally {
    await live.close();
    await sim.close();
  }
  const slow = await startExchangeSimulator({ balances: { USDT: 1e9, BTC: 1e6 } });
  const steadyLive = await startExec({ sim: slow });
  try {
    await steadyLive.engine.executionIdle();
    slow.setLatency(150);
    figures.live150msAt10PerSecOneMarket = await steady(steadyLive, 10, quick ? 5 : 20);
  } finally {
    await steadyLive.close();
    await slow.close();
  }
  process.stdout.write(JSON.stringify(figures) + '\n');
}

void main();
