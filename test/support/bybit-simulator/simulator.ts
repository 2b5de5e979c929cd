/**
 * startBybitSimulator: a Bybit v5 unified account (spot and USDT linear perpetuals) on one origin,
 * built from the shared spot and futures engines, fault registry, request log and HTTP front.
 */
import { commonControls, simState } from '../exchange-simulator/controls.js';
import type { AddressInfo } from 'node:net';
import { toDec, toDecRecord, toNumber } from '../exchange-simulator/decimal.js';
import type { PositionSide } from '../exchange-simulator/futures-account.js';
import { Engine } from '../exchange-simulator/engine.js';
import { FaultRegistry } from '../exchange-simulator/faults.js';
import { createFuturesEngine } from '../exchange-simulator/futures-sim.js';
import type { FuturesOptions } from '../exchange-simulator/futures-types.js';
import { initialPrices } from '../exchange-simulator/market-base.js';
import { DEFAULT_MARKETS, parseMarket } from '../exchange-simulator/markets.js';
import { RequestLog } from '../exchange-simulator/request-log.js';
import type { BalanceView, Counters, Credentials, FaultHandle, FaultSpec, MarketSpec, NumberLike, RequestLogEntry } from '../exchange-simulator/types.js';
import { BYBIT_API_KEY, BYBIT_SECRET, BybitAuthenticator } from './auth.js';
import { BybitOrderBook } from './bybit-orders.js';
import type { Category } from './errors.js';
import { createBybitFront } from './front.js';
import { type BybitFillView, type BybitOrderView, type BybitPositionView, fillViews, orderView, positionView } from './views.js';

export interface BybitSimulatorOptions {
  host?: string;
  port?: number;
  latencyMs?: number;
  /** Accepted keys; default [{ apiKey: BYBIT_API_KEY, secret: BYBIT_SECRET }]. */
  credentials?: Credentials[];
  /** Spot coins of the unified account; default { USDT: 10000, BTC: 1, ETH: 10 }. */
  balances?: Record<string, NumberLike>;
  /** Spot markets; default the Binance simulator's DEFAULT_MARKETS (same symbols on Bybit). */
  markets?: MarketSpec[];
  prices?: Record<string, NumberLike>;
  /** Spot fee rate; default 0.001 (Bybit's 0.1 %). */
  feeRate?: NumberLike;
  /** Linear perpetuals (markets, prices, USDT margin, fees 0.00055 / 0.0002, leverage 10 by default). */
  linear?: FuturesOptions;
  clockOffsetMs?: number;
  maxLogEntries?: number;
}

export interface BybitSimulator {
  readonly url: string;
  readonly port: number;
  readonly apiKey: string;
  readonly secret: string;
  close(): Promise<void>;

  /** The last price of a symbol in every category that lists it: resting orders fill, triggers fire. */
  setPrice(symbol: string, price: NumberLike): void;
  price(category: Category, symbol: string): number;
  setBalance(coin: string, free: NumberLike, locked?: NumberLike): void;
  balances(): Record<string, BalanceView>;
  /** The USDT (or other settle coin) margin of the linear side. */
  linearWallet(coin?: string): number;
  /** In hedge mode name the side: LONG (positionIdx 1) or SHORT (2). */
  position(symbol: string, side?: PositionSide): BybitPositionView;
  positions(): BybitPositionView[];

  orders(category?: Category): BybitOrderView[];
  order(orderId: string): BybitOrderView | undefined;
  /** Every order with this orderLinkId (both categories unless given), oldest first: count them per client id. */
  ordersByLinkId(orderLinkId: string, category?: Category): BybitOrderView[];
  openOrders(category?: Category, symbol?: string): BybitOrderView[];
  fills(): BybitFillView[];
  /** Fills (part of) a resting order as a maker at its limit price (or `price`). */
  fillOrder(orderId: string, qty?: NumberLike, price?: NumberLike): void;
  /** A Bybit service restart: /v5/order/realtime forgets the closed orders; history keeps them. */
  restart(): void;

  injectFault(fault: FaultSpec): FaultHandle;
  clearFaults(): void;
  pendingFaults(): FaultSpec[];
  setLatency(ms: number): void;
  setReachable(reachable: boolean): void;
  setClockOffset(ms: number): void;
  serverTime(): number;
  requests(filter?: { method?: string; path?: string }): RequestLogEntry[];
  requestCount(method?: string, path?: string): number;
  counters(): Counters;
  resetRequests(): void;
}

export async function startBybitSimulator(options: BybitSimulatorOptions = {}): Promise<BybitSimulator> {
  const host = options.host ?? '127.0.0.1';
  const state = simState(options);
  const serverNow = state.serverNow;
  const specs = options.markets ?? DEFAULT_MARKETS;
  const prices = initialPrices(specs, options.prices ?? {});
  const fee = toDec(options.feeRate ?? '0.001');
  const spot = new Engine({
    markets: specs.map(parseMarket), prices, takerFee: fee, makerFee: fee, balances: toDecRecord(options.balances ?? { USDT: 10000, BTC: 1, ETH: 10 }),
    firstOrderId: 1, now: serverNow,
  });
  const linear = createFuturesEngine({ takerFeeRate: '0.00055', makerFeeRate: '0.0002', leverage: 10, ...options.linear }, 1, serverNow);
  const books = { spot, linear };
  const orders = new BybitOrderBook(books, serverNow);
  const credentials = options.credentials ?? [{ apiKey: BYBIT_API_KEY, secret: BYBIT_SECRET }];
  const first = credentials[0];
  if (!first) throw new Error('bybit simulator: at least one credentials entry is needed');
  const faults = new FaultRegistry();
  const log = new RequestLog(options.maxLogEntries ?? 10_000);
  const front = createBybitFront({
    auth: new BybitAuthenticator(credentials), faults, log,
    context: { orders, serverNow, launchTime: serverNow() - 86_400_000, onOrderCreated: () => { log.counters.ordersCreated += 1; } },
    latencyMs: () => state.latency, reachable: () => state.reachable,
  });
  await new Promise<void>((resolve, reject) => {
    front.server.once('error', reject);
    front.server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (front.server.address() as AddressInfo).port;
  let closed: Promise<void> | undefined;
  const views = (category?: Category): BybitOrderView[] => orders.records.filter((r) => category === undefined || r.category === category).map((r) => orderView(books, r));
  const record = (orderId: string) => {
    const r = orders.records.find((x) => x.orderId === orderId);
    if (!r) throw new Error(`bybit simulator: no order ${orderId}`);
    return r;
  };

  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    apiKey: first.apiKey,
    secret: first.secret,
    close(): Promise<void> {
      closed ??= new Promise<void>((resolve) => {
        front.server.close(() => resolve());
        faults.clear();
        front.destroyAll();
        front.server.closeAllConnections();
      });
      return closed;
    },
    setPrice(symbol, price) {
      const s = symbol.toUpperCase();
      const p = toDec(price);
      const listed = [spot, linear].filter((b) => b.marketList().some((m) => m.symbol === s));
      if (listed.length === 0) throw new Error(`bybit simulator: no market ${s}`);
      if (listed.includes(spot)) spot.setPrice(s, p);
      if (listed.includes(linear)) linear.setPrice(s, p);
      orders.sweep();
    },
    price: (category, symbol) => toNumber((category === 'spot' ? spot : linear).price(symbol.toUpperCase())),
    setBalance(coin, free, locked) {
      spot.ledger.set(coin, toDec(free), locked === undefined ? undefined : toDec(locked));
    },
    balances() {
      const out: Record<string, BalanceView> = {};
      for (const a of spot.ledger.assets()) {
        const b = spot.ledger.get(a);
        out[a] = { free: toNumber(b.free), locked: toNumber(b.locked) };
      }
      return out;
    },
    linearWallet: (coin = 'USDT') => toNumber(linear.account.wallet(coin)),
    position: (symbol, side) => positionView(linear, symbol.toUpperCase(), side),
    positions: () => linear.account.symbols().map((s) => positionView(linear, s)).filter((p) => p.size !== 0),
    orders: views,
    order: (orderId) => {
      const r = orders.records.find((x) => x.orderId === orderId);
      return r ? orderView(books, r) : undefined;
    },
    ordersByLinkId: (id, category) => views(category).filter((o) => o.orderLinkId === id),
    openOrders: (category, symbol) => views(category).filter((o) => !o.closed && (symbol === undefined || o.symbol === symbol.toUpperCase())),
    fills: () => fillViews(books, orders.records),
    fillOrder(orderId, qty, price) {
      const r = record(orderId);
      const amounts = (o: { origQty: bigint; executedQty: bigint; price: bigint; status: string }) => {
        if (o.status !== 'NEW' && o.status !== 'PARTIALLY_FILLED') throw new Error(`bybit simulator: order ${orderId} is not open`);
        return { q: qty === undefined ? o.origQty - o.executedQty : toDec(qty), p: price !== undefined ? toDec(price) : o.price };
      };
      if (r.ref.book === 'spot') {
        const o = spot.byId(r.ref.id);
        if (!o) throw new Error(`bybit simulator: lost order ${orderId}`);
        const { q, p } = amounts(o);
        spot.fill(o, q, p, true);
      } else if (r.ref.book === 'linear') {
        const o = linear.byId(r.ref.id);
        if (!o) throw new Error(`bybit simulator: lost order ${orderId}`);
        const { q, p } = amounts(o);
        linear.fillResting(o, q, p);
      } else {
        throw new Error('bybit simulator: fill a conditional order by moving the price');
      }
      orders.sweep();
    },
    restart: () => orders.restart(),
    ...commonControls(state, front, faults, log),
    counters: () => ({ ...structuredClone(log.counters), trades: spot.trades.length + linear.trades.length }),
  };
}
