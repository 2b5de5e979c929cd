/**
 * startOkxSimulator: an OKX v5 account (spot and USDT swaps, net position mode, cross margin) on
 * one origin, built from the shared spot and futures engines, fault registry, request log and
 * HTTP front.
 */
import { commonControls, simState } from '../exchange-simulator/controls.js';
import type { AddressInfo } from 'node:net';
import { toDec, toDecRecord, toNumber } from '../exchange-simulator/decimal.js';
import { Engine } from '../exchange-simulator/engine.js';
import { FaultRegistry } from '../exchange-simulator/faults.js';
import { createFuturesEngine } from '../exchange-simulator/futures-sim.js';
import type { FuturesOptions } from '../exchange-simulator/futures-types.js';
import { initialPrices } from '../exchange-simulator/market-base.js';
import { DEFAULT_MARKETS, parseMarket } from '../exchange-simulator/markets.js';
import { RequestLog } from '../exchange-simulator/request-log.js';
import type { BalanceView, Counters, FaultHandle, FaultSpec, MarketSpec, NumberLike, RequestLogEntry } from '../exchange-simulator/types.js';
import { OKX_CREDENTIALS, OkxAuthenticator, type OkxCredentials } from './auth.js';
import { createOkxFront } from './front.js';
import { DEFAULT_CT_VAL, fromBase, listInstruments } from './instruments.js';
import { OkxOrderBook, type OkxState } from './okx-orders.js';

export interface OkxSimulatorOptions {
  host?: string;
  port?: number;
  latencyMs?: number;
  credentials?: OkxCredentials[];
  /** Spot balances; default { USDT: 10000, BTC: 1, ETH: 10 }. */
  balances?: Record<string, NumberLike>;
  markets?: MarketSpec[];
  prices?: Record<string, NumberLike>;
  /** Spot fee rate; default 0.001. */
  feeRate?: NumberLike;
  /** USDT swaps (markets, prices, margin, fees 0.0005 / 0.0002, leverage 10 by default). */
  swap?: FuturesOptions;
  /** Base units per contract by engine symbol; default DEFAULT_CT_VAL (BTC 0.01, ETH 0.1). */
  ctVal?: Record<string, string>;
  /**
   * Which orders a new clOrdId must differ from. OKX's documents say "unique" without a window;
   * 'open' (default) is the harsher assumption for exactly-once: a reused id of a filled order
   * is accepted, so only a look-up before resending prevents a second order.
   */
  clOrdIdScope?: 'open' | 'all';
  clockOffsetMs?: number;
  maxLogEntries?: number;
}

export interface OkxOrderView {
  ordId: string;
  clOrdId: string;
  instId: string;
  side: 'buy' | 'sell';
  ordType: string;
  state: OkxState;
  /** OKX units: contracts for swaps. */
  sz: number;
  accFillSz: number;
  px: number;
  algoId: string;
}

export interface OkxAlgoView {
  algoId: string;
  algoClOrdId: string;
  clOrdId: string;
  instId: string;
  ordType: string;
  side: 'buy' | 'sell';
  state: string;
  triggerPx: number;
  slTriggerPx: number;
  tpTriggerPx: number;
  reduceOnly: boolean;
}

export interface OkxSimulator {
  readonly url: string;
  readonly port: number;
  readonly apiKey: string;
  readonly secret: string;
  readonly passphrase: string;
  close(): Promise<void>;
  /** The last price of an engine symbol (BTCUSDT) in spot and swap alike. */
  setPrice(symbol: string, price: NumberLike): void;
  setBalance(ccy: string, free: NumberLike, locked?: NumberLike): void;
  balances(): Record<string, BalanceView>;
  swapWallet(ccy?: string): number;
  /** Signed position in contracts of an instId ("BTC-USDT-SWAP"). */
  position(instId: string): number;
  orders(): OkxOrderView[];
  /** Every order with this clOrdId, oldest first. */
  ordersByClOrdId(clOrdId: string): OkxOrderView[];
  openOrders(instId?: string): OkxOrderView[];
  algoOrders(): OkxAlgoView[];
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

export async function startOkxSimulator(options: OkxSimulatorOptions = {}): Promise<OkxSimulator> {
  const host = options.host ?? '127.0.0.1';
  const state = simState(options);
  const serverNow = state.serverNow;
  const specs = options.markets ?? DEFAULT_MARKETS;
  const fee = toDec(options.feeRate ?? '0.001');
  const spot = new Engine({
    markets: specs.map(parseMarket), prices: initialPrices(specs, options.prices ?? {}), takerFee: fee, makerFee: fee,
    balances: toDecRecord(options.balances ?? { USDT: 10000, BTC: 1, ETH: 10 }), firstOrderId: 1, now: serverNow,
  });
  const swap = createFuturesEngine({ takerFeeRate: '0.0005', makerFeeRate: '0.0002', leverage: 10, ...options.swap }, 1, serverNow);
  const books = { spot, swap };
  const instruments = listInstruments(books, options.ctVal ?? DEFAULT_CT_VAL);
  const orders = new OkxOrderBook(books, serverNow, options.clOrdIdScope ?? 'open');
  const credentials = options.credentials ?? [OKX_CREDENTIALS];
  const first = credentials[0];
  if (!first) throw new Error('okx simulator: at least one credentials entry is needed');
  const faults = new FaultRegistry();
  const log = new RequestLog(options.maxLogEntries ?? 10_000);
  const front = createOkxFront({
    auth: new OkxAuthenticator(credentials), faults, log,
    context: { orders, instruments, serverNow, listTime: serverNow() - 86_400_000, onOrderCreated: () => { log.counters.ordersCreated += 1; } },
    latencyMs: () => state.latency, reachable: () => state.reachable,
  });
  await new Promise<void>((resolve, reject) => {
    front.server.once('error', reject);
    front.server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (front.server.address() as AddressInfo).port;
  let closed: Promise<void> | undefined;
  const views = (): OkxOrderView[] => {
    orders.sync();
    return orders.orders.map((o) => ({
      ordId: o.ordId, clOrdId: o.clOrdId, instId: o.inst.instId, side: o.side, ordType: o.ordType, state: orders.state(o), sz: toNumber(o.sz),
      accFillSz: toNumber(fromBase(o.inst, orders.engineOrder(o).executedQty)), px: toNumber(o.px), algoId: o.algoId,
    }));
  };

  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    apiKey: first.apiKey,
    secret: first.secret,
    passphrase: first.passphrase,
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
      const inSpot = spot.marketList().some((m) => m.symbol === s);
      const inSwap = swap.marketList().some((m) => m.symbol === s);
      if (!inSpot && !inSwap) throw new Error(`okx simulator: no market ${s}`);
      if (inSpot) spot.setPrice(s, p);
      if (inSwap) swap.setPrice(s, p);
      orders.sync();
    },
    setBalance(ccy, free, locked) {
      spot.ledger.set(ccy, toDec(free), locked === undefined ? undefined : toDec(locked));
    },
    balances() {
      const out: Record<string, BalanceView> = {};
      for (const a of spot.ledger.assets()) {
        const b = spot.ledger.get(a);
        out[a] = { free: toNumber(b.free), locked: toNumber(b.locked) };
      }
      return out;
    },
    swapWallet: (ccy = 'USDT') => toNumber(swap.account.wallet(ccy)),
    position(instId) {
      const inst = instruments.find((i) => i.instId === instId && i.instType === 'SWAP');
      if (!inst) throw new Error(`okx simulator: no swap ${instId}`);
      return toNumber(fromBase(inst, swap.account.position(inst.symbol).amt));
    },
    orders: views,
    ordersByClOrdId: (id) => views().filter((o) => o.clOrdId === id),
    openOrders: (instId) => views().filter((o) => (o.state === 'live' || o.state === 'partially_filled') && (instId === undefined || o.instId === instId)),
    algoOrders: () =>
      orders.algos.map((a) => ({
        algoId: a.algoId, algoClOrdId: a.algoClOrdId, clOrdId: a.clOrdId, instId: a.inst.instId, ordType: a.ordType, side: a.side, state: orders.algoState(a),
        triggerPx: toNumber(a.triggerPx), slTriggerPx: toNumber(a.slTriggerPx), tpTriggerPx: toNumber(a.tpTriggerPx), reduceOnly: a.reduceOnly,
      })),
    ...commonControls(state, front, faults, log),
    counters: () => ({ ...structuredClone(log.counters), trades: spot.trades.length + swap.trades.length }),
  };
}
