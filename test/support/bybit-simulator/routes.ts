/** The Bybit v5 REST endpoints the simulator speaks, as a table of "METHOD /path" -> handler. */
import type { BybitOrderBook } from './bybit-orders.js';
import { positionList, walletBalance } from './account.js';
import { readCreateRequest } from './create-request.js';
import { asBybit, bybitErrors, type Category } from './errors.js';
import { instrumentsInfo, MAX_LEVERAGE, tickers } from './instruments.js';
import { CLOSED, orderObject, orderState, type BybitOrder } from './order-records.js';

export type Params = Record<string, unknown>;

export interface BybitContext {
  orders: BybitOrderBook;
  params: Params;
  serverNow: () => number;
  launchTime: number;
  /** The API key of a signed request. */
  apiKey: string;
  onOrderCreated: () => void;
}

export interface BybitRoute {
  signed: boolean;
  handle: (ctx: BybitContext) => unknown;
}

const str = (p: Params, key: string): string | undefined => {
  const v = p[key];
  return v === undefined || v === null || v === '' ? undefined : String(v);
};

function category(p: Params, allowed: readonly Category[] = ['spot', 'linear']): Category {
  const c = str(p, 'category');
  if (c === undefined || !(allowed as readonly string[]).includes(c)) throw bybitErrors.params('Illegal category');
  return c as Category;
}

function symbolOf(ctx: BybitContext, cat: Category, required: boolean): string | undefined {
  const symbol = str(ctx.params, 'symbol');
  if (symbol === undefined) {
    if (required) throw bybitErrors.params('symbol invalid');
    return undefined;
  }
  const book = cat === 'spot' ? ctx.orders.books.spot : ctx.orders.books.linear;
  return asBybit(cat, () => book.market(symbol)).symbol;
}

function limitOf(p: Params, dflt: number, max: number): number {
  const raw = str(p, 'limit');
  const n = raw === undefined ? dflt : Number(raw);
  if (!Number.isInteger(n) || n < 1) throw bybitErrors.params('limit invalid');
  return Math.min(n, max);
}

/** Conditional ("StopOrder") or plain ("Order") orders; a unified account gets both by default. */
function filterMatches(p: Params, r: BybitOrder): boolean {
  const filter = str(p, 'orderFilter');
  return filter === undefined || filter === r.orderFilter || (filter === 'tpslOrder' && r.orderFilter === 'StopOrder' && r.stopOrderType !== 'Stop');
}

/**
 * GET /v5/order/realtime: by orderId (then orderLinkId) the order whatever its status if realtime
 * still knows it; otherwise the open orders (openOnly=0) or the recent closed ones (openOnly=1),
 * newest first. Unknown parameters are ignored, as Bybit does.
 */
function realtime(ctx: BybitContext): unknown {
  const p = ctx.params;
  const cat = category(p);
  const symbol = symbolOf(ctx, cat, false);
  const orderId = str(p, 'orderId');
  const orderLinkId = str(p, 'orderLinkId');
  const settleCoin = str(p, 'settleCoin');
  const baseCoin = str(p, 'baseCoin');
  if (cat === 'linear' && symbol === undefined && settleCoin === undefined && baseCoin === undefined && orderId === undefined && orderLinkId === undefined) {
    throw bybitErrors.params('symbol or settleCoin or baseCoin is required');
  }
  const { orders } = ctx;
  const closedKnown = orders.realtimeClosed(cat);
  const openOnly = str(p, 'openOnly') ?? '0';
  const list = orders.records
    .filter((r) => {
      if (r.category !== cat || (symbol !== undefined && r.symbol !== symbol) || !filterMatches(p, r)) return false;
      const closed = CLOSED.has(orderState(orders.books, r).status);
      if (closed && !closedKnown.has(r)) return false;
      if (orderId !== undefined) return r.orderId === orderId;
      if (orderLinkId !== undefined) return r.orderLinkId === orderLinkId;
      if (settleCoin !== undefined && cat === 'linear' && orders.books.linear.market(r.symbol).marginAsset !== settleCoin) return false;
      if (baseCoin !== undefined && !r.symbol.startsWith(baseCoin)) return false;
      return openOnly === '1' ? closed : !closed;
    })
    .sort((a, b) => b.createdTime - a.createdTime)
    .slice(0, limitOf(p, 20, 50));
  return { category: cat, list: list.map((r) => orderObject(orders.books, r)), nextPageCursor: '' };
}

/** GET /v5/order/history: closed orders (all of them, restart or not), newest first. */
function history(ctx: BybitContext): unknown {
  const p = ctx.params;
  const cat = category(p);
  const symbol = symbolOf(ctx, cat, false);
  const orderId = str(p, 'orderId');
  const orderLinkId = str(p, 'orderLinkId');
  const status = str(p, 'orderStatus');
  const { orders } = ctx;
  const list = orders.records
    .filter((r) => {
      if (r.category !== cat || (symbol !== undefined && r.symbol !== symbol) || !filterMatches(p, r)) return false;
      if (orderId !== undefined && r.orderId !== orderId) return false;
      if (orderLinkId !== undefined && r.orderLinkId !== orderLinkId) return false;
      const st = orderState(orders.books, r).status;
      return status !== undefined ? st === status : CLOSED.has(st);
    })
    .sort((a, b) => b.createdTime - a.createdTime)
    .slice(0, limitOf(p, 20, 50));
  return { category: cat, list: list.map((r) => orderObject(orders.books, r)), nextPageCursor: '' };
}

function create(ctx: BybitContext): unknown {
  const req = readCreateRequest(ctx.params);
  const r = ctx.orders.create(req);
  ctx.onOrderCreated();
  return { orderId: r.orderId, orderLinkId: r.orderLinkId };
}

function cancel(ctx: BybitContext): unknown {
  const cat = category(ctx.params);
  const symbol = symbolOf(ctx, cat, true) as string;
  const r = ctx.orders.cancel(cat, symbol, str(ctx.params, 'orderId'), str(ctx.params, 'orderLinkId'));
  return { orderId: r.orderId, orderLinkId: r.orderLinkId };
}

function setLeverage(ctx: BybitContext): unknown {
  category(ctx.params, ['linear']);
  const symbol = symbolOf(ctx, 'linear', true) as string;
  const buy = Number(str(ctx.params, 'buyLeverage'));
  const sell = Number(str(ctx.params, 'sellLeverage'));
  if (!Number.isInteger(buy) || buy !== sell || buy < 1 || buy > MAX_LEVERAGE) throw bybitErrors.params('leverage invalid');
  const account = ctx.orders.books.linear.account;
  if (account.position(symbol).leverage === buy) throw bybitErrors.leverageNotModified();
  account.setLeverage(symbol, buy);
  return {};
}

/** POST /v5/position/switch-mode: 0 one-way, 3 hedge; per symbol, or every symbol of a coin. */
function switchMode(ctx: BybitContext): unknown {
  category(ctx.params, ['linear']);
  const mode = Number(str(ctx.params, 'mode'));
  if (mode !== 0 && mode !== 3) throw bybitErrors.params('mode invalid');
  const linear = ctx.orders.books.linear;
  const symbol = symbolOf(ctx, 'linear', false);
  const coin = str(ctx.params, 'coin');
  if (symbol === undefined && coin === undefined) throw bybitErrors.params('symbol or coin is required');
  const symbols = symbol !== undefined ? [symbol] : linear.marketList().filter((m) => m.marginAsset === coin).map((m) => m.symbol);
  if (symbols.every((x) => (ctx.orders.positionMode.get(x) ?? 0) === mode)) throw bybitErrors.positionModeNotModified();
  for (const x of symbols) ctx.orders.positionMode.set(x, mode);
  return {};
}

function queryApi(ctx: BybitContext): unknown {
  return {
    id: '13770661', note: 'pinebridge simulator', apiKey: ctx.apiKey, readOnly: 0, secret: '', permissions: { ContractTrade: ['Order', 'Position'], Spot: ['SpotTrade'], Wallet: ['AccountTransfer'], Options: [], Derivatives: [], CopyTrading: [], BlockTrade: [], Exchange: [], NFT: [] },
    ips: ['*'], type: 1, deadlineDay: 83, expiredAt: '', createdAt: '', unified: 0, uta: 1, userID: 24600000, inviterID: 0, vipLevel: 'No VIP', mktMakerLevel: '0', affiliateID: 0, rsaPublicKey: '', isMaster: true,
  };
}

function coinInfo(ctx: BybitContext): unknown {
  const coins = new Set([...ctx.orders.books.spot.ledger.assets(), ...ctx.orders.books.spot.marketList().flatMap((m) => [m.baseAsset, m.quoteAsset])]);
  return {
    rows: [...coins].sort().map((coin) => ({
      name: coin, coin, remainAmount: '1000000',
      chains: [{ chainType: coin, confirmation: '1', withdrawFee: '0', depositMin: '0', withdrawMin: '0', chain: coin, chainDeposit: '1', chainWithdraw: '1', minAccuracy: '8', withdrawPercentageFee: '0' }],
    })),
  };
}

export const BYBIT_ROUTES: Record<string, BybitRoute> = {
  'GET /v5/market/time': {
    signed: false,
    handle: (ctx) => {
      const now = ctx.serverNow();
      return { timeSecond: String(Math.floor(now / 1000)), timeNano: `${now}000000` };
    },
  },
  'GET /v5/market/instruments-info': {
    signed: false,
    handle: (ctx) => instrumentsInfo({ ...ctx.orders.books, launchTime: ctx.launchTime }, category(ctx.params), str(ctx.params, 'symbol'), str(ctx.params, 'status')),
  },
  'GET /v5/market/tickers': {
    signed: false,
    handle: (ctx) => {
      const cat = category(ctx.params);
      return tickers({ ...ctx.orders.books, launchTime: ctx.launchTime }, cat, symbolOf(ctx, cat, false), ctx.serverNow());
    },
  },
  'GET /v5/user/query-api': { signed: true, handle: queryApi },
  'GET /v5/account/info': {
    signed: true,
    handle: () => ({ unifiedMarginStatus: 6, marginMode: 'REGULAR_MARGIN', isMasterTrader: false, spotHedgingStatus: 'OFF', updatedTime: '0', dcpStatus: 'OFF', timeWindow: 10, smpGroup: 0 }),
  },
  'GET /v5/asset/coin/query-info': { signed: true, handle: coinInfo },
  'GET /v5/account/wallet-balance': {
    signed: true,
    handle: (ctx) => {
      if (str(ctx.params, 'accountType') !== 'UNIFIED') throw bybitErrors.params('accountType only support UNIFIED');
      return walletBalance(ctx.orders.books, str(ctx.params, 'coin')?.split(','));
    },
  },
  'POST /v5/order/create': { signed: true, handle: create },
  'POST /v5/order/cancel': { signed: true, handle: cancel },
  'GET /v5/order/realtime': { signed: true, handle: realtime },
  'GET /v5/order/history': { signed: true, handle: history },
  'GET /v5/position/list': {
    signed: true,
    handle: (ctx) => {
      category(ctx.params, ['linear']);
      const symbol = symbolOf(ctx, 'linear', false);
      const settleCoin = str(ctx.params, 'settleCoin');
      if (symbol === undefined && settleCoin === undefined) throw bybitErrors.params('symbol or settleCoin is required');
      return positionList(ctx.orders, symbol, settleCoin);
    },
  },
  'POST /v5/position/set-leverage': { signed: true, handle: setLeverage },
  'POST /v5/position/switch-mode': { signed: true, handle: switchMode },
};

/** The order paths whose refusals count as rejected orders. */
export const BYBIT_ORDER_PATHS = new Set(['/v5/order/create']);
