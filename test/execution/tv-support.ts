/** Alerts as TradingView sends them, to a `pinebridge serve` child, and what came of them. */
import type { AlertDetailDto, PositionDto, StrategyDto } from '../../shared/api.js';
import { alertMessage } from '../../shared/alert-template.js';
import type { ServeProcess } from '../support/serve-process.js';
import { command, eventually, getAlert, WEBHOOK_SECRET } from './serve-client.js';

export interface Sent {
  status: number;
  answer: { status?: string; alertId?: string; warnings?: string[]; error?: { code: string; message: string } };
  /** The alert once executed, skipped or failed (null when it was not accepted). */
  alert: AlertDetailDto | null;
}

let seq = 0;

export async function send(child: ServeProcess, body: Record<string, unknown>): Promise<Sent> {
  const res = await fetch(child.webhookUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ secret: WEBHOOK_SECRET, id: `tv-${Date.now()}-${++seq}`, ...body }),
  });
  const answer = (await res.json()) as Sent['answer'];
  if (answer.status !== 'accepted') return { status: res.status, answer, alert: null };
  const alert = await eventually(async () => {
    const a = await getAlert(child, answer.alertId as string);
    return a && a.status !== 'accepted' && a.status !== 'executing' ? a : undefined;
  });
  return { status: res.status, answer, alert };
}

/** The strategy's ledger position on a market (0 when it has none). */
export async function held(child: ServeProcess, strategy: string, symbol: string): Promise<number> {
  const rows = await command<PositionDto[]>(child, 'getPositions', { strategy, includeFlat: true });
  return rows.find((p) => p.symbol === symbol)?.qty ?? 0;
}

export async function positionRow(child: ServeProcess, strategy: string, symbol: string): Promise<PositionDto | undefined> {
  const rows = await command<PositionDto[]>(child, 'getPositions', { strategy, includeFlat: true });
  return rows.find((p) => p.symbol === symbol);
}

/** One order fill of a TradingView strategy: what its placeholders hold at that moment. */
export interface Fill {
  action: 'buy' | 'sell';
  contracts: number;
  marketPosition: 'long' | 'short' | 'flat';
  prevMarketPosition: 'long' | 'short' | 'flat';
  /** Leave out to send a message without `position_size`. */
  positionSize?: number;
}

/**
 * The setup wizard's alert message for a strategy, with its placeholders filled the way
 * TradingView fills them when an order of the strategy fills.
 */
export function wizardAlert(strategy: Pick<StrategyDto, 'name' | 'quantity' | 'orderType' | 'symbol'>, ticker: string, price: number, f: Fill): Record<string, unknown> {
  const values: Record<string, string> = {
    exchange: 'BINANCE',
    ticker,
    close: String(price),
    timenow: new Date().toISOString(),
    'strategy.order.id': f.marketPosition === 'long' ? 'Long' : f.marketPosition === 'short' ? 'Short' : 'Close',
    'strategy.order.action': f.action,
    'strategy.order.contracts': String(f.contracts),
    'strategy.market_position': f.marketPosition,
    'strategy.prev_market_position': f.prevMarketPosition,
    'strategy.position_size': String(f.positionSize ?? 0),
  };
  const template = JSON.parse(alertMessage({ strategy, secret: WEBHOOK_SECRET })) as Record<string, string>;
  const filled: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(template)) {
    filled[k] = v.replace(/\{\{([^}]+)\}\}/g, (_, name: string) => {
      const value = values[name];
      if (value === undefined) throw new Error(`the template uses {{${name}}}, which this test does not fill`);
      return value;
    });
  }
  if (f.positionSize === undefined) delete filled.position_size;
  // TradingView makes the id unique per fill ({{timenow}}); the test keeps it unique even within a millisecond.
  filled.id = `${String(filled.id)}-${++seq}`;
  return filled;
}

/** long 0.01 -> short 0.01 -> long 0.01 -> flat, as TradingView fills a strategy.entry reversal. */
export const REVERSALS: (Fill & { tv: number })[] = [
  { action: 'buy', contracts: 0.01, marketPosition: 'long', prevMarketPosition: 'flat', tv: 0.01 },
  { action: 'sell', contracts: 0.02, marketPosition: 'short', prevMarketPosition: 'long', tv: -0.01 },
  { action: 'buy', contracts: 0.02, marketPosition: 'long', prevMarketPosition: 'short', tv: 0.01 },
  { action: 'sell', contracts: 0.01, marketPosition: 'flat', prevMarketPosition: 'long', tv: 0 },
];
