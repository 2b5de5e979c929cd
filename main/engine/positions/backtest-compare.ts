/**
 * A backtest's trades held against the strategy's live orders, trade by trade.
 *
 * Matching rule (README "Live vs backtest"): every backtest entry and exit is an order of a side
 * (long entry and short exit buy; long exit and short entry sell). Taken in time order, each is
 * matched to the nearest live order of the same side within `windowSec` that comes after the
 * previous match (the order of events is kept), unless the next backtest event of the same side
 * is nearer to that order (then this one was missed). A live order matches at most one event;
 * live orders of the period left unmatched are extra trades. A reversal sent as one order crossing
 * zero is shared by the exit and the entry it stands for.
 */
import type { BacktestComparisonDto, BacktestTradeDto, LiveOrderDto, SlippageDto, TradeComparisonDto, TradeMatch } from '../../../shared/dto/backtest.js';

export interface CompareInput {
  strategy: string;
  importedAt: number;
  fileName: string | null;
  layout: string;
  trades: BacktestTradeDto[];
  /** The strategy's live orders with fills since the period's start, oldest first. */
  live: LiveOrderDto[];
  /** Start of the live record (the strategy's first alert); null: it has none. */
  liveSince: number | null;
  now: number;
  windowSec: number;
}

interface BtEvent {
  trade: number;
  kind: 'entry' | 'exit';
  side: 'buy' | 'sell';
  time: number;
  price: number;
  qty: number | null;
}

/** The period a backtest can be compared over: from the live record's start to its last event, both widened by the window. */
export function comparePeriod(trades: BacktestTradeDto[], liveSince: number | null, now: number, windowSec: number): { from: number | null; to: number } {
  const w = windowSec * 1000;
  const last = Math.max(...trades.map((t) => t.exit?.time ?? t.entry.time));
  return { from: liveSince === null ? null : liveSince - w, to: Math.min(now + 1, last + w + 1) };
}

export function compareBacktest(c: CompareInput): BacktestComparisonDto {
  const { from, to } = comparePeriod(c.trades, c.liveSince, c.now, c.windowSec);
  const w = c.windowSec * 1000;
  const inPeriod = (t: number) => from !== null && t >= from && t < to;
  const trades = c.trades.filter((t) => inPeriod(t.entry.time) || (t.exit !== null && inPeriod(t.exit.time)));
  const beforeLive = c.trades.filter((t) => from === null || (t.exit?.time ?? t.entry.time) < from).length;
  const live = c.live.filter((o) => inPeriod(o.time));

  const events: BtEvent[] = [];
  for (const t of trades) {
    const buyFirst = t.side === 'long';
    if (inPeriod(t.entry.time)) events.push({ trade: t.number, kind: 'entry', side: buyFirst ? 'buy' : 'sell', time: t.entry.time, price: t.entry.price, qty: t.entry.qty });
    if (t.exit && inPeriod(t.exit.time)) events.push({ trade: t.number, kind: 'exit', side: buyFirst ? 'sell' : 'buy', time: t.exit.time, price: t.exit.price, qty: t.exit.qty });
  }
  // Same minute: the older trade's exit before the next one's entry (a reversal).
  events.sort((a, b) => a.time - b.time || a.trade - b.trade || (a.kind === 'entry' ? -1 : 1));

  // The next event of the same side, for each event.
  const nextSame: (BtEvent | undefined)[] = new Array(events.length);
  const seen: Partial<Record<'buy' | 'sell', BtEvent>> = {};
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i] as BtEvent;
    nextSame[i] = seen[e.side];
    seen[e.side] = e;
  }

  /** A live order matched to an event, and the part of it that event accounts for (1, or a reversal's share). */
  const matched = new Map<string, { o: LiveOrderDto; share: number }>();
  const used = new Set<number>();
  let last = -1;
  events.forEach((e, i) => {
    let best = -1;
    for (let j = last + 1; j < live.length; j++) {
      const o = live[j] as LiveOrderDto;
      if (o.time > e.time + w) break;
      if (used.has(j) || o.side !== e.side || o.time < e.time - w) continue;
      if (best < 0 || Math.abs(o.time - e.time) < Math.abs((live[best] as LiveOrderDto).time - e.time)) best = j;
    }
    if (best < 0) {
      shareReversal(e, events[i - 1]);
      return;
    }
    const o = live[best] as LiveOrderDto;
    const next = nextSame[i];
    if (next && Math.abs(o.time - next.time) < Math.abs(o.time - e.time)) return;
    used.add(best);
    last = best;
    matched.set(`${e.trade}:${e.kind}`, { o, share: 1 });
  });

  /**
   * A reversal (an exit and the next trade's entry, same side, same bar) that Pinebridge sent as
   * one order crossing zero: the entry shares the exit's order, split by the backtest's sizes.
   */
  function shareReversal(e: BtEvent, prev: BtEvent | undefined): void {
    if (!prev || e.kind !== 'entry' || prev.kind !== 'exit' || prev.side !== e.side || prev.time !== e.time) return;
    const first = matched.get(`${prev.trade}:exit`);
    if (!first || first.share !== 1) return;
    const part = prev.qty !== null && e.qty !== null && prev.qty + e.qty > 0 ? prev.qty / (prev.qty + e.qty) : 0.5;
    first.share = part;
    matched.set(`${e.trade}:entry`, { o: first.o, share: 1 - part });
  }

  const rows: TradeComparisonDto[] = trades.map((t) => {
    const entry = matched.get(`${t.number}:entry`) ?? null;
    const exit = matched.get(`${t.number}:exit`) ?? null;
    const entrySide = t.side === 'long' ? 'buy' : 'sell';
    const entrySlippage = entry ? slippage(entrySide, t.entry.price, entry.o, entry.share) : null;
    const exitSlippage = exit && t.exit ? slippage(entrySide === 'buy' ? 'sell' : 'buy', t.exit.price, exit.o, exit.share) : null;
    const livePnl =
      entry && exit
        ? (t.side === 'long' ? 1 : -1) * (exit.o.price * exit.o.amount * exit.share - entry.o.price * entry.o.amount * entry.share) -
          entry.o.fee * entry.share -
          exit.o.fee * exit.share
        : null;
    return {
      backtest: t,
      match: matchOf(t, entry?.o ?? null, exit?.o ?? null),
      liveEntry: entry?.o ?? null,
      liveExit: exit?.o ?? null,
      entrySlippage,
      exitSlippage,
      livePnl: livePnl === null ? null : round(livePnl),
      pnlDiff: livePnl === null ? null : round(livePnl - (t.profit ?? 0)),
    };
  });

  const full = rows.filter((r) => r.match === 'matched');
  const extra = live.filter((_, j) => !used.has(j));
  const backtestPnl = full.reduce((s, r) => s + (r.backtest.profit ?? 0), 0);
  const livePnl = full.reduce((s, r) => s + (r.livePnl ?? 0), 0);
  return {
    strategy: c.strategy,
    importedAt: c.importedAt,
    fileName: c.fileName,
    layout: c.layout,
    windowSec: c.windowSec,
    from,
    to,
    trades: rows,
    beforeLive,
    extra,
    totals: {
      trades: rows.length,
      matched: full.length,
      missed: rows.filter((r) => r.match === 'missed').length,
      partial: rows.filter((r) => r.match === 'entry-only' || r.match === 'exit-only').length,
      extra: extra.length,
      slippageCost: round(rows.reduce((s, r) => s + (r.entrySlippage?.cost ?? 0) + (r.exitSlippage?.cost ?? 0), 0)),
      backtestPnl: round(backtestPnl),
      livePnl: round(livePnl),
      pnlDiff: round(livePnl - backtestPnl),
    },
  };
}

function matchOf(t: BacktestTradeDto, entry: LiveOrderDto | null, exit: LiveOrderDto | null): TradeMatch {
  if (t.exit === null) return entry ? 'open' : 'missed';
  if (entry && exit) return 'matched';
  if (entry) return 'entry-only';
  if (exit) return 'exit-only';
  return 'missed';
}

/** Positive: the live order paid more (buy) or got less (sell) than the backtest; on the event's share of the order. */
function slippage(side: 'buy' | 'sell', backtestPrice: number, o: LiveOrderDto, share: number): SlippageDto {
  const price = side === 'buy' ? o.price - backtestPrice : backtestPrice - o.price;
  return { price: round(price), bps: round((price / backtestPrice) * 10_000), cost: round(price * o.amount * share) };
}

/** To 1e-8: sums of float prices shown as figures, not as 0.30000000000000004. */
function round(n: number): number {
  return Math.round(n * 1e8) / 1e8;
}
