/** The OKX v5 REST endpoints the simulator speaks, as a table of "METHOD /path" -> handler. */
import { asOkx, okxErrors } from './errors.js';
import { algoDoc, balanceDoc, orderDoc, positionDoc } from './docs.js';
import { findInstrument, type Instrument, instrumentDoc, type InstType, tickerDoc } from './instruments.js';
import type { OkxOrderBook } from './okx-orders.js';
import { readAlgoRequest, readOrderRequest } from './requests.js';

export interface OkxContext {
  orders: OkxOrderBook;
  instruments: readonly Instrument[];
  params: unknown;
  serverNow: () => number;
  listTime: number;
  onOrderCreated: () => void;
}

/** A handler's result is the `data` array of OKX's envelope. */
export interface OkxRoute {
  signed: boolean;
  handle: (ctx: OkxContext) => unknown[];
}

const str = (ctx: OkxContext, key: string): string | undefined => {
  const v = (ctx.params as Record<string, unknown>)[key];
  return v === undefined || v === null || v === '' ? undefined : String(v);
};

function instType(ctx: OkxContext, required: boolean): InstType | undefined {
  const t = str(ctx, 'instType');
  if (t === undefined && !required) return undefined;
  if (t !== 'SPOT' && t !== 'SWAP') throw okxErrors.param('instType');
  return t;
}

const limit = (ctx: OkxContext): number => Math.min(Number(str(ctx, 'limit') ?? 100), 100);

/** One order operation: its result line, or its refusal as OKX reports it (sCode in data). */
function operation(ctx: OkxContext, body: unknown, run: (b: Record<string, unknown>) => Record<string, unknown>): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw okxErrors.paramOp('body');
  return run(body as Record<string, unknown>);
}

function placeOne(ctx: OkxContext, body: Record<string, unknown>): Record<string, unknown> {
  const req = readOrderRequest(body);
  const inst = findInstrument(ctx.instruments, req.instId, true);
  const o = ctx.orders.place(req, inst);
  ctx.onOrderCreated();
  return { clOrdId: o.clOrdId, ordId: o.ordId, tag: o.tag, ts: String(ctx.serverNow()), sCode: '0', sMsg: 'Order placed' };
}

function cancelOne(ctx: OkxContext, body: Record<string, unknown>): Record<string, unknown> {
  const inst = findInstrument(ctx.instruments, body.instId as string | undefined, true);
  const ordId = body.ordId === undefined ? undefined : String(body.ordId);
  const clOrdId = body.clOrdId === undefined ? undefined : String(body.clOrdId);
  if (ordId === undefined && clOrdId === undefined) throw okxErrors.paramOp('ordId');
  const o = ctx.orders.cancel(inst, ordId, clOrdId);
  return { clOrdId: o.clOrdId, ordId: o.ordId, ts: String(ctx.serverNow()), sCode: '0', sMsg: '' };
}

function getOrder(ctx: OkxContext): unknown[] {
  const inst = findInstrument(ctx.instruments, str(ctx, 'instId'), false);
  const ordId = str(ctx, 'ordId');
  const clOrdId = str(ctx, 'clOrdId');
  if (ordId === undefined && clOrdId === undefined) throw okxErrors.param('ordId');
  ctx.orders.sync();
  const o = ctx.orders.find(inst, ordId, clOrdId);
  if (!o) throw okxErrors.orderMissing();
  return [orderDoc(ctx.orders, o)];
}

function listOrders(ctx: OkxContext, open: boolean): unknown[] {
  const type = instType(ctx, !open);
  const instId = str(ctx, 'instId');
  const state = str(ctx, 'state');
  ctx.orders.sync();
  return ctx.orders.orders
    .filter((o) => (type === undefined || o.inst.instType === type) && (instId === undefined || o.inst.instId === instId))
    .filter((o) => {
      const st = ctx.orders.state(o);
      const isOpen = st === 'live' || st === 'partially_filled';
      return open ? isOpen : !isOpen && (state === undefined || st === state);
    })
    .sort((a, b) => b.cTime - a.cTime)
    .slice(0, limit(ctx))
    .map((o) => orderDoc(ctx.orders, o));
}

function listAlgos(ctx: OkxContext, open: boolean): unknown[] {
  const ordType = str(ctx, 'ordType');
  const algoId = str(ctx, 'algoId');
  if (ordType === undefined && algoId === undefined) throw okxErrors.param('ordType');
  const instId = str(ctx, 'instId');
  const state = str(ctx, 'state');
  return ctx.orders.algos
    .filter((a) => (ordType === undefined || ordType.split(',').includes(a.ordType)) && (algoId === undefined || a.algoId === algoId))
    .filter((a) => instId === undefined || a.inst.instId === instId)
    .filter((a) => {
      const st = ctx.orders.algoState(a);
      return open ? st === 'live' : st !== 'live' && (state === undefined || st === state);
    })
    .sort((a, b) => b.cTime - a.cTime)
    .slice(0, limit(ctx))
    .map((a) => algoDoc(ctx.orders, a));
}

function placeAlgo(ctx: OkxContext): unknown[] {
  return [operation(ctx, ctx.params, (b) => {
    const req = readAlgoRequest(b);
    const a = ctx.orders.placeAlgo(req, findInstrument(ctx.instruments, req.instId, true));
    ctx.onOrderCreated();
    return { algoId: a.algoId, algoClOrdId: a.algoClOrdId, clOrdId: a.clOrdId, tag: '', sCode: '0', sMsg: '' };
  })];
}

function cancelAlgos(ctx: OkxContext): unknown[] {
  if (!Array.isArray(ctx.params)) throw okxErrors.paramOp('body');
  return ctx.params.map((entry: Record<string, unknown>) => {
    // By algoId or, as OKX also takes, by the client's algoClOrdId.
    const a = ctx.orders.cancelAlgo(
      entry.algoId === undefined ? undefined : String(entry.algoId),
      entry.instId as string | undefined,
      entry.algoClOrdId === undefined ? undefined : String(entry.algoClOrdId),
    );
    return { algoId: a.algoId, algoClOrdId: a.algoClOrdId, sCode: '0', sMsg: '' };
  });
}

function getAlgo(ctx: OkxContext): unknown[] {
  const a = ctx.orders.findAlgo(str(ctx, 'algoId'), str(ctx, 'algoClOrdId'));
  if (!a) throw okxErrors.orderMissing();
  return [algoDoc(ctx.orders, a)];
}

function positions(ctx: OkxContext): unknown[] {
  const instId = str(ctx, 'instId');
  const swap = ctx.orders.books.swap;
  return ctx.instruments
    .filter((i) => i.instType === 'SWAP' && (instId === undefined || i.instId === instId) && swap.account.position(i.symbol).amt !== 0n)
    .map((i) => positionDoc(ctx.orders, i, ctx.serverNow()));
}

function setLeverage(ctx: OkxContext): unknown[] {
  const inst = findInstrument(ctx.instruments, str(ctx, 'instId'), false);
  const lever = Number(str(ctx, 'lever'));
  const mgnMode = str(ctx, 'mgnMode');
  if (inst.instType !== 'SWAP' || !Number.isInteger(lever) || lever < 1 || lever > 100) throw okxErrors.param('lever');
  if (mgnMode !== 'cross' && mgnMode !== 'isolated') throw okxErrors.param('mgnMode');
  // OKX answers success also when the leverage does not change (Bybit refuses that with 110043).
  ctx.orders.books.swap.account.setLeverage(inst.symbol, lever);
  return [{ instId: inst.instId, lever: String(lever), mgnMode, posSide: '' }];
}

function setPositionMode(ctx: OkxContext): unknown[] {
  const mode = str(ctx, 'posMode');
  if (mode !== 'net_mode' && mode !== 'long_short_mode') throw okxErrors.param('posMode');
  if (mode !== ctx.orders.posMode && ctx.orders.busy()) throw okxErrors.positionsOrOrders();
  ctx.orders.posMode = mode;
  return [{ posMode: mode }];
}

export const OKX_ROUTES: Record<string, OkxRoute> = {
  'GET /api/v5/public/time': { signed: false, handle: (ctx) => [{ ts: String(ctx.serverNow()) }] },
  'GET /api/v5/public/instruments': {
    signed: false,
    handle: (ctx) => {
      const type = instType(ctx, true);
      const instId = str(ctx, 'instId');
      return ctx.instruments.filter((i) => i.instType === type && (instId === undefined || i.instId === instId)).map((i) => instrumentDoc(i, ctx.listTime));
    },
  },
  'GET /api/v5/market/tickers': {
    signed: false,
    handle: (ctx) => {
      const type = instType(ctx, true);
      return ctx.instruments.filter((i) => i.instType === type).map((i) => tickerDoc(i, priceOf(ctx, i), ctx.serverNow()));
    },
  },
  'GET /api/v5/market/ticker': {
    signed: false,
    handle: (ctx) => {
      const i = findInstrument(ctx.instruments, str(ctx, 'instId'), false);
      return [tickerDoc(i, priceOf(ctx, i), ctx.serverNow())];
    },
  },
  'GET /api/v5/asset/currencies': {
    signed: true,
    handle: (ctx) => [...new Set(ctx.instruments.flatMap((i) => [i.base, i.quote]))].sort().map((ccy) => ({
      ccy, name: ccy, chain: `${ccy}-${ccy}`, canDep: true, canWd: true, canInternal: true, minDep: '0', minWd: '0', maxWd: '1000000', wdTickSz: '8',
      minFee: '0', maxFee: '0', mainNet: true, needTag: false, logoLink: '', minDepArrivalConfirm: '1', minWdUnlockConfirm: '1', depQuotaFixed: '', usedDepQuotaFixed: '', wdQuota: '', usedWdQuota: '',
    })),
  },
  'GET /api/v5/account/balance': { signed: true, handle: (ctx) => [balanceDoc(ctx.orders, str(ctx, 'ccy')?.split(','), ctx.serverNow())] },
  'GET /api/v5/account/positions': { signed: true, handle: positions },
  'GET /api/v5/account/config': {
    signed: true,
    handle: (ctx) => [{
      uid: '44705892343619584', mainUid: '44705892343619584', acctLv: '2', posMode: ctx.orders.posMode, autoLoan: false, greeksType: 'PA', level: 'Lv1',
      levelTmp: '', ctIsoMode: 'automatic', mgnIsoMode: 'automatic', spotOffsetType: '', roleType: '0', traderInsts: [], spotRoleType: '0', spotTraderInsts: [],
      opAuth: '0', kycLv: '2', label: 'pinebridge simulator', ip: '', perm: 'read_only,trade',
    }],
  },
  'POST /api/v5/account/set-leverage': { signed: true, handle: setLeverage },
  'POST /api/v5/account/set-position-mode': { signed: true, handle: setPositionMode },
  'POST /api/v5/trade/order': { signed: true, handle: (ctx) => [operation(ctx, ctx.params, (b) => placeOne(ctx, b))] },
  'POST /api/v5/trade/batch-orders': {
    signed: true,
    handle: (ctx) => {
      if (!Array.isArray(ctx.params) || ctx.params.length === 0 || ctx.params.length > 20) throw okxErrors.paramOp('body');
      return ctx.params.map((b: unknown) => operation(ctx, b, (x) => placeOne(ctx, x)));
    },
  },
  'GET /api/v5/trade/order': { signed: true, handle: getOrder },
  'POST /api/v5/trade/cancel-order': { signed: true, handle: (ctx) => [operation(ctx, ctx.params, (b) => cancelOne(ctx, b))] },
  'GET /api/v5/trade/orders-pending': { signed: true, handle: (ctx) => listOrders(ctx, true) },
  'GET /api/v5/trade/orders-history': { signed: true, handle: (ctx) => listOrders(ctx, false) },
  'POST /api/v5/trade/order-algo': { signed: true, handle: placeAlgo },
  'GET /api/v5/trade/order-algo': { signed: true, handle: getAlgo },
  'GET /api/v5/trade/orders-algo-pending': { signed: true, handle: (ctx) => listAlgos(ctx, true) },
  'GET /api/v5/trade/orders-algo-history': { signed: true, handle: (ctx) => listAlgos(ctx, false) },
  'POST /api/v5/trade/cancel-algos': { signed: true, handle: cancelAlgos },
};

function priceOf(ctx: OkxContext, i: Instrument) {
  return asOkx(() => (i.instType === 'SPOT' ? ctx.orders.books.spot.price(i.symbol) : ctx.orders.books.swap.price(i.symbol)));
}

/** Paths whose refusals count as rejected orders. */
export const OKX_ORDER_PATHS = new Set(['/api/v5/trade/order', '/api/v5/trade/batch-orders', '/api/v5/trade/order-algo']);
