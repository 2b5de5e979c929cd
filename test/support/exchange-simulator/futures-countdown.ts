/**
 * Binance USDⓈ-M "Auto-Cancel All Open Orders" (POST /fapi/v1/countdownCancelAll): a countdown per
 * symbol, replaced by each call (the heartbeat); when it runs out, every open order of the symbol
 * is cancelled. Binance's documentation says "all open orders of the specified symbol" and does
 * not exempt conditional ones, so the simulator cancels the algo (conditional) orders of the
 * symbol too: a client that must keep its stop-losses cannot arm it on a symbol that has them.
 * countdownTime 0 stops the countdown. Binance checks the countdowns about every 10 ms.
 */
import { errors } from './errors.js';
import type { FuturesEngine } from './futures-engine.js';
import { required } from './order-params.js';
import type { Route, RouteContext } from './routes.js';

const countdowns = new WeakMap<FuturesEngine, Map<string, NodeJS.Timeout>>();

function timersOf(f: FuturesEngine): Map<string, NodeJS.Timeout> {
  let m = countdowns.get(f);
  if (!m) countdowns.set(f, (m = new Map()));
  return m;
}

/** Cancels every open plain and algo order of the symbol, as the countdown's end does. */
export function countdownFired(f: FuturesEngine, symbol: string): void {
  timersOf(f).delete(symbol);
  for (const o of f.openOrders(symbol)) f.cancel(symbol, o.orderId);
  for (const o of f.algo.open(symbol)) f.algo.cancel(o.algoId);
}

/** Symbols with a countdown running (for tests). */
export function runningCountdowns(f: FuturesEngine): string[] {
  return [...timersOf(f).keys()];
}

function countdownCancelAll(ctx: RouteContext): unknown {
  const symbol = ctx.futures.market(required(ctx.params, 'symbol')).symbol;
  const raw = required(ctx.params, 'countdownTime');
  if (!/^\d+$/.test(raw)) throw errors.mandatory('countdownTime');
  const ms = Number(raw);
  const timers = timersOf(ctx.futures);
  const running = timers.get(symbol);
  if (running) clearTimeout(running);
  timers.delete(symbol);
  if (ms > 0) {
    const t = setTimeout(() => countdownFired(ctx.futures, symbol), ms);
    t.unref();
    timers.set(symbol, t);
  }
  return { symbol, countdownTime: String(ms) };
}

export const FUTURES_COUNTDOWN_ROUTES: Record<string, Route> = {
  'POST /fapi/v1/countdownCancelAll': { signed: true, handle: countdownCancelAll },
};
