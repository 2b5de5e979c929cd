/** startExchangeSimulator: composes engine, market data, auth, faults and the HTTP front. */
import { commonControls, simState } from './controls.js';
import type { AddressInfo } from 'node:net';
import { Authenticator, DEFAULT_API_KEY, DEFAULT_SECRET } from './auth.js';
import { toDec, toDecRecord, toNumber } from './decimal.js';
import { Engine, type Order, type PlaceRequest, type Trade } from './engine.js';
import { FaultRegistry } from './faults.js';
import { createFuturesEngine, futuresControl, type FuturesSimulator } from './futures-sim.js';
import { inspect, tradeView } from './inspection.js';
import { initialPrices } from './market-base.js';
import { MarketData } from './market-data.js';
import { DEFAULT_MARKETS, parseMarket } from './markets.js';
import { RequestLog } from './request-log.js';
import { createFront } from './server.js';
import type {
  BalanceView, Counters, Credentials, FaultHandle, FaultSpec, NumberLike, OrderSide, OrderType,
  RequestLogEntry, SimOrderView, SimTradeView, SimulatorOptions,
} from './types.js';

export interface SeedOrder {
  symbol: string;
  side: OrderSide;
  type: OrderType;
  quantity?: NumberLike;
  quoteOrderQty?: NumberLike;
  price?: NumberLike;
  stopPrice?: NumberLike;
  timeInForce?: 'GTC' | 'IOC' | 'FOK';
  clientOrderId?: string;
}

export interface Simulator {
  /** e.g. "http://127.0.0.1:41234" (no trailing slash). */
  readonly url: string;
  readonly port: number;
  /** The first configured credentials (the defaults unless options.credentials was given). */
  readonly apiKey: string;
  readonly secret: string;
  close(): Promise<void>;
  /** The USDⓈ-M perpetual futures account and markets (fapi endpoints on the same origin). */
  readonly futures: FuturesSimulator;

  setPrice(symbol: string, price: NumberLike): void;
  price(symbol: string): number;
  setBalance(asset: string, free: NumberLike, locked?: NumberLike): void;
  balances(): Record<string, BalanceView>;
  balance(asset: string): BalanceView;

  orders(): SimOrderView[];
  order(orderId: number): SimOrderView | undefined;
  /** Every order (any symbol, any status) with this clientOrderId, oldest first. */
  ordersByClientId(clientOrderId: string): SimOrderView[];
  openOrders(symbol?: string): SimOrderView[];
  trades(): SimTradeView[];
  /** Places an order directly, without HTTP (seeding state); same rules as POST /api/v3/order. */
  placeOrder(order: SeedOrder): SimOrderView;
  /** Fills (part of) a working order at its limit price (or `price`) as a maker: partial fills. */
  fillOrder(orderId: number, qty?: NumberLike, price?: NumberLike): SimTradeView;

  injectFault(fault: FaultSpec): FaultHandle;
  clearFaults(): void;
  pendingFaults(): FaultSpec[];
  setLatency(ms: number): void;
  /** false: every new connection and request is dropped without an answer. */
  setReachable(reachable: boolean): void;
  /** Server clock = machine clock + offset (real -1021 rejections for a skewed client). */
  setClockOffset(ms: number): void;
  serverTime(): number;

  requests(filter?: { method?: string; path?: string }): RequestLogEntry[];
  requestCount(method?: string, path?: string): number;
  counters(): Counters;
  resetRequests(): void;
}

function orderView(o: Order): SimOrderView {
  return {
    orderId: o.orderId, symbol: o.symbol, clientOrderId: o.clientOrderId, side: o.side, type: o.type,
    timeInForce: o.timeInForce, status: o.status, price: toNumber(o.price), stopPrice: toNumber(o.stopPrice),
    origQty: toNumber(o.origQty), executedQty: toNumber(o.executedQty), cummulativeQuoteQty: toNumber(o.cumQuote),
    origQuoteOrderQty: toNumber(o.origQuoteOrderQty), isWorking: o.isWorking, time: o.time, updateTime: o.updateTime,
    orderListId: o.orderListId,
  };
}

const spotTradeView = (t: Trade): SimTradeView => tradeView(t, { isMaker: t.isMaker });

export async function startExchangeSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const host = options.host ?? '127.0.0.1';
  const state = simState(options);
  const serverNow = state.serverNow;
  const specs = options.markets ?? DEFAULT_MARKETS;
  const markets = specs.map(parseMarket);
  const prices = initialPrices(specs, options.prices ?? {});
  for (const m of markets) if (prices[m.symbol] === undefined) throw new Error(`exchange simulator: no price for ${m.symbol}`);
  const takerFee = toDec(options.feeRate ?? '0.001');
  const engine = new Engine({
    markets, prices, takerFee, makerFee: options.makerFeeRate !== undefined ? toDec(options.makerFeeRate) : takerFee,
    balances: toDecRecord(options.balances ?? { USDT: 10000, BTC: 1, ETH: 10 }),
    firstOrderId: options.firstOrderId ?? 1000, now: serverNow,
  });
  const marketData = new MarketData(engine, serverNow);
  // Futures order ids live in a range of their own (and above 2^32, as Binance's do).
  const futures = createFuturesEngine(options.futures ?? {}, 4_000_000_000, serverNow);
  const credentials: Credentials[] = options.credentials ?? [{ apiKey: DEFAULT_API_KEY, secret: DEFAULT_SECRET }];
  const first = credentials[0];
  if (!first) throw new Error('exchange simulator: at least one credentials entry is needed');
  const faults = new FaultRegistry();
  const log = new RequestLog(options.maxLogEntries ?? 10_000);
  const front = createFront({
    auth: new Authenticator(credentials), faults, log,
    context: { engine, marketData, futures, serverNow, onOrderCreated: () => { log.counters.ordersCreated += 1; } },
    latencyMs: () => state.latency, reachable: () => state.reachable,
  });
  await new Promise<void>((resolve, reject) => {
    front.server.once('error', reject);
    front.server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (front.server.address() as AddressInfo).port;
  let closed: Promise<void> | undefined;

  const findOrder = (orderId: number): Order => {
    const o = engine.byId(orderId);
    if (!o) throw new Error(`exchange simulator: no order ${orderId}`);
    return o;
  };

  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    apiKey: first.apiKey,
    secret: first.secret,
    futures: futuresControl(futures),
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
      const p = toDec(price);
      const s = symbol.toUpperCase();
      engine.setPrice(s, p);
      marketData.observe(s, p);
    },
    price: (symbol) => toNumber(engine.price(symbol.toUpperCase())),
    setBalance(asset, free, locked) {
      engine.ledger.set(asset, toDec(free), locked === undefined ? undefined : toDec(locked));
    },
    balances() {
      const out: Record<string, BalanceView> = {};
      for (const a of engine.ledger.assets()) {
        const b = engine.ledger.get(a);
        out[a] = { free: toNumber(b.free), locked: toNumber(b.locked) };
      }
      return out;
    },
    balance(asset) {
      const b = engine.ledger.get(asset);
      return { free: toNumber(b.free), locked: toNumber(b.locked) };
    },
    ...inspect(engine, orderView, spotTradeView),
    placeOrder(seed) {
      const req: PlaceRequest = { symbol: seed.symbol.toUpperCase(), side: seed.side, type: seed.type };
      if (seed.quantity !== undefined) req.quantity = toDec(seed.quantity);
      if (seed.quoteOrderQty !== undefined) req.quoteOrderQty = toDec(seed.quoteOrderQty);
      if (seed.price !== undefined) req.price = toDec(seed.price);
      if (seed.stopPrice !== undefined) req.stopPrice = toDec(seed.stopPrice);
      if (seed.timeInForce !== undefined) req.timeInForce = seed.timeInForce;
      if (seed.clientOrderId !== undefined) req.newClientOrderId = seed.clientOrderId;
      const { order } = engine.place(req);
      log.counters.ordersCreated += 1;
      return orderView(order);
    },
    fillOrder(orderId, qty, price) {
      const o = findOrder(orderId);
      if (o.status !== 'NEW' && o.status !== 'PARTIALLY_FILLED') throw new Error(`exchange simulator: order ${orderId} is ${o.status}`);
      const remaining = o.origQty - o.executedQty;
      const q = qty === undefined ? remaining : toDec(qty);
      if (q <= 0n || q > remaining) throw new Error(`exchange simulator: cannot fill ${qty} of order ${orderId}`);
      const p = price !== undefined ? toDec(price) : o.price > 0n ? o.price : engine.price(o.symbol);
      return spotTradeView(engine.fill(o, q, p, true));
    },
    ...commonControls(state, front, faults, log),
    counters: () => ({ ...structuredClone(log.counters), trades: engine.trades.length + futures.trades.length }),
  };
}
