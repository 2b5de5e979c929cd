/**
 * OKX's order rules on top of the shared engines: clOrdId (up to 32 case-sensitive
 * alphanumerics; a duplicate is 51016), spot and swap orders, algo orders (trigger, conditional
 * stop-loss / take-profit) on spot and swaps, cancels and look-ups by ordId or clOrdId.
 */
import { type Dec, toDec, ZERO } from '../exchange-simulator/decimal.js';
import type { PlaceRequest } from '../exchange-simulator/engine.js';
import type { AlgoOrderType } from '../exchange-simulator/futures-algo.js';
import { isOpenOrder } from '../exchange-simulator/order-book.js';
import { asOkx, okxErrors } from './errors.js';
import { fromBase, type Instrument, type InstrumentBooks, toBase } from './instruments.js';
import type { AlgoRequest, OrderRequest } from './requests.js';

/** OKX's clOrdId / algoClOrdId rule. */
export const CL_ORD_ID_PATTERN = /^[A-Za-z0-9]{1,32}$/;

export interface OkxOrder {
  ordId: string;
  clOrdId: string;
  tag: string;
  inst: Instrument;
  side: 'buy' | 'sell';
  ordType: string;
  /** As sent, in OKX units (quote for a quote_ccy spot market buy). */
  sz: Dec;
  px: Dec;
  tdMode: string;
  tgtCcy: '' | 'base_ccy' | 'quote_ccy';
  reduceOnly: boolean;
  ref: { book: 'spot' | 'swap'; id: number };
  /** The algo order that placed it. */
  algoId: string;
  cTime: number;
}

export interface OkxAlgo {
  algoId: string;
  algoClOrdId: string;
  clOrdId: string;
  inst: Instrument;
  side: 'buy' | 'sell';
  ordType: 'trigger' | 'conditional';
  sz: Dec;
  triggerPx: Dec;
  orderPx: Dec;
  slTriggerPx: Dec;
  tpTriggerPx: Dec;
  reduceOnly: boolean;
  tdMode: string;
  /** Spot algo orders rest in the spot engine as stop orders, swap ones in the futures algo book. */
  book: 'spot' | 'swap';
  bookId: number;
  cTime: number;
}

export type OkxState = 'live' | 'partially_filled' | 'filled' | 'canceled';
export type AlgoState = 'live' | 'effective' | 'canceled' | 'order_failed';

const engineSide = (side: 'buy' | 'sell'): 'BUY' | 'SELL' => (side === 'buy' ? 'BUY' : 'SELL');

export class OkxOrderBook {
  readonly orders: OkxOrder[] = [];
  readonly algos: OkxAlgo[] = [];
  posMode: 'net_mode' | 'long_short_mode' = 'net_mode';
  private seq = 600_000_000_000_000_000n;

  constructor(
    readonly books: InstrumentBooks,
    private readonly now: () => number,
    /** Which orders a new clOrdId must differ from: the open ones (default) or all. */
    private readonly clOrdIdScope: 'open' | 'all',
  ) {}

  private nextId(): string {
    this.seq += 1n;
    return this.seq.toString();
  }

  engineOrder(o: OkxOrder) {
    const e = o.ref.book === 'spot' ? this.books.spot.byId(o.ref.id) : this.books.swap.byId(o.ref.id);
    if (!e) throw new Error(`okx simulator: lost order ${o.ordId}`);
    return e;
  }

  state(o: OkxOrder): OkxState {
    const e = this.engineOrder(o);
    if (e.status === 'NEW') return 'live';
    if (e.status === 'PARTIALLY_FILLED') return 'partially_filled';
    return e.status === 'FILLED' ? 'filled' : 'canceled';
  }

  private checkClOrdId(clOrdId: string | undefined): void {
    if (clOrdId === undefined) return;
    if (!CL_ORD_ID_PATTERN.test(clOrdId)) throw okxErrors.paramOp('clOrdId');
    const taken = this.orders.some((o) => o.clOrdId === clOrdId && (this.clOrdIdScope === 'all' || this.state(o) === 'live' || this.state(o) === 'partially_filled'));
    const takenByAlgo = this.algos.some((a) => (a.algoClOrdId === clOrdId || a.clOrdId === clOrdId) && (this.clOrdIdScope === 'all' || this.algoState(a) === 'live'));
    if (taken || takenByAlgo) throw okxErrors.duplicate();
  }

  private checkPosMode(inst: Instrument): void {
    if (inst.instType === 'SWAP' && this.posMode === 'long_short_mode') throw okxErrors.paramOp('posSide (exchange simulator: long/short mode is not simulated)');
  }

  place(req: OrderRequest, inst: Instrument): OkxOrder {
    this.checkClOrdId(req.clOrdId);
    this.checkPosMode(inst);
    const limitLike = req.ordType !== 'market' && req.ordType !== 'optimal_limit_ioc';
    let ref: OkxOrder['ref'];
    let tgtCcy: OkxOrder['tgtCcy'] = '';
    if (inst.instType === 'SPOT') {
      if (req.tdMode !== 'cash') throw okxErrors.paramOp('tdMode');
      const p: PlaceRequest = { symbol: inst.symbol, side: engineSide(req.side), type: limitLike ? 'LIMIT' : 'MARKET' };
      if (req.clOrdId !== undefined) p.newClientOrderId = req.clOrdId;
      if (limitLike) {
        p.price = req.px;
        p.quantity = req.sz;
        if (req.ordType === 'post_only') p.type = 'LIMIT_MAKER';
        if (req.ordType === 'ioc' || req.ordType === 'fok') p.timeInForce = req.ordType.toUpperCase();
      } else {
        // OKX: a spot market buy is sized in the quote currency unless tgtCcy says base_ccy.
        tgtCcy = req.tgtCcy ?? (req.side === 'buy' ? 'quote_ccy' : 'base_ccy');
        if (tgtCcy === 'quote_ccy') p.quoteOrderQty = req.sz;
        else p.quantity = req.sz;
      }
      ref = { book: 'spot', id: asOkx(() => this.books.spot.place(p)).order.orderId };
    } else {
      if (req.tdMode !== 'cross' && req.tdMode !== 'isolated') throw okxErrors.paramOp('tdMode');
      const tif = req.ordType === 'post_only' ? 'GTX' : req.ordType === 'ioc' ? 'IOC' : req.ordType === 'fok' ? 'FOK' : 'GTC';
      const { order } = asOkx(() =>
        this.books.swap.place({
          symbol: inst.symbol, side: engineSide(req.side), type: limitLike ? 'LIMIT' : 'MARKET', quantity: toBase(inst, req.sz), reduceOnly: req.reduceOnly,
          timeInForce: tif, ...(limitLike ? { price: req.px } : {}), ...(req.clOrdId !== undefined ? { newClientOrderId: req.clOrdId } : {}),
        }),
      );
      ref = { book: 'swap', id: order.orderId };
    }
    const o: OkxOrder = {
      ordId: this.nextId(), clOrdId: req.clOrdId ?? '', tag: req.tag ?? '', inst, side: req.side, ordType: req.ordType, sz: req.sz, px: limitLike ? req.px : ZERO,
      tdMode: req.tdMode, tgtCcy, reduceOnly: req.reduceOnly, ref, algoId: '', cTime: this.now(),
    };
    this.orders.push(o);
    return o;
  }

  /** By ordId first, else the newest with clOrdId. */
  find(inst: Instrument, ordId: string | undefined, clOrdId: string | undefined): OkxOrder | undefined {
    if (ordId !== undefined) return this.orders.find((o) => o.inst === inst && o.ordId === ordId);
    if (clOrdId !== undefined) return this.orders.findLast((o) => o.inst === inst && o.clOrdId === clOrdId);
    return undefined;
  }

  cancel(inst: Instrument, ordId: string | undefined, clOrdId: string | undefined): OkxOrder {
    const o = this.find(inst, ordId, clOrdId);
    if (!o || (this.state(o) !== 'live' && this.state(o) !== 'partially_filled')) throw okxErrors.cancelMissing();
    if (o.ref.book === 'spot') this.books.spot.cancel(inst.symbol, o.ref.id);
    else this.books.swap.cancel(inst.symbol, o.ref.id);
    return o;
  }

  placeAlgo(req: AlgoRequest, inst: Instrument): OkxAlgo {
    const spot = inst.instType === 'SPOT';
    // A spot TP/SL (conditional) with tdMode cash is refused with 51000 "Parameter tdMode error"
    // (captured in ccxt's okx.createOrder, which sends the margin mode instead); a spot trigger
    // order takes cash. With autoLoan off, a cross spot order trades the coins held, borrowing none.
    const margin = req.tdMode === 'cross' || req.tdMode === 'isolated';
    if (spot ? req.tdMode === 'cash' && req.ordType !== 'trigger' : !margin) throw okxErrors.paramOp('tdMode');
    this.checkClOrdId(req.algoClOrdId);
    this.checkClOrdId(req.clOrdId);
    this.checkPosMode(inst);
    const swap = this.books.swap;
    const last = spot ? this.books.spot.price(inst.symbol) : swap.price(inst.symbol);
    const buy = req.side === 'buy';
    let orderType: AlgoOrderType;
    let triggerPx: Dec;
    let limitPx: Dec;
    if (req.ordType === 'trigger') {
      if (req.triggerPx <= ZERO) throw okxErrors.paramOp('triggerPx');
      // A trigger order fires when the last price reaches triggerPx, from whichever side it is now.
      const rises = req.triggerPx > last;
      orderType = rises === buy ? 'STOP_MARKET' : 'TAKE_PROFIT_MARKET';
      triggerPx = req.triggerPx;
      limitPx = req.orderPx;
    } else {
      const sl = req.slTriggerPx > ZERO;
      if (sl === req.tpTriggerPx > ZERO) throw okxErrors.paramOp('slTriggerPx (exchange simulator: give exactly one of slTriggerPx and tpTriggerPx; oco is not simulated)');
      orderType = sl ? 'STOP_MARKET' : 'TAKE_PROFIT_MARKET';
      triggerPx = sl ? req.slTriggerPx : req.tpTriggerPx;
      limitPx = sl ? req.slOrdPx : req.tpOrdPx;
    }
    const limit = limitPx > ZERO;
    const bookId = spot ? this.placeSpotStop(inst, req, orderType, triggerPx, limit ? limitPx : undefined) : asOkx(() =>
      swap.algo.place({
        symbol: inst.symbol, side: engineSide(req.side), orderType: limit ? (orderType === 'STOP_MARKET' ? 'STOP' : 'TAKE_PROFIT') : orderType,
        quantity: toBase(inst, req.sz), triggerPrice: triggerPx, reduceOnly: req.reduceOnly, closePosition: false, ...(limit ? { price: limitPx } : {}),
      }),
    ).algoId;
    const a: OkxAlgo = {
      algoId: this.nextId(), algoClOrdId: req.algoClOrdId ?? '', clOrdId: req.clOrdId ?? '', inst, side: req.side, ordType: req.ordType, sz: req.sz,
      triggerPx: req.triggerPx, orderPx: req.ordType === 'trigger' ? (limit ? limitPx : toDec(-1)) : ZERO, slTriggerPx: req.slTriggerPx,
      tpTriggerPx: req.tpTriggerPx, reduceOnly: req.reduceOnly, tdMode: req.tdMode, book: spot ? 'spot' : 'swap', bookId, cTime: this.now(),
    };
    this.algos.push(a);
    return a;
  }

  private bookAlgo(a: OkxAlgo) {
    const b = this.books.swap.algo.orders.find((x) => x.algoId === a.bookId);
    if (!b) throw new Error(`okx simulator: lost algo order ${a.algoId}`);
    return b;
  }

  /**
   * A spot algo order as a stop order of the spot engine: it locks the coins (or the quote) it
   * would trade from placement on, as OKX's spot TP/SL do, and fires when the last price crosses.
   */
  private placeSpotStop(inst: Instrument, req: AlgoRequest, type: AlgoOrderType, stopPrice: Dec, price: Dec | undefined): number {
    const base = type === 'STOP_MARKET' ? 'STOP_LOSS' : 'TAKE_PROFIT';
    const p: PlaceRequest = { symbol: inst.symbol, side: engineSide(req.side), type: price === undefined ? base : `${base}_LIMIT`, quantity: req.sz, stopPrice };
    if (price !== undefined) {
      p.price = price;
      p.timeInForce = 'GTC';
    }
    return asOkx(() => this.books.spot.place(p)).order.orderId;
  }

  private spotStop(a: OkxAlgo) {
    const e = this.books.spot.byId(a.bookId);
    if (!e) throw new Error(`okx simulator: lost spot algo order ${a.algoId}`);
    return e;
  }

  algoState(a: OkxAlgo): AlgoState {
    if (a.book === 'spot') {
      const e = this.spotStop(a);
      if (e.isWorking) return 'effective';
      return isOpenOrder(e) ? 'live' : 'canceled';
    }
    const b = this.bookAlgo(a);
    if (b.algoStatus === 'NEW') return 'live';
    if (b.algoStatus === 'CANCELED' || b.algoStatus === 'EXPIRED') return 'canceled';
    return b.algoStatus === 'REJECTED' ? 'order_failed' : 'effective';
  }

  /** The OKX order a triggered algo order placed (recorded the first time it is asked for). */
  algoOrder(a: OkxAlgo): OkxOrder | undefined {
    // A triggered spot stop goes on as the same engine order; a swap algo places a new one.
    const placed = a.book === 'spot' ? (this.spotStop(a).isWorking ? a.bookId : null) : this.bookAlgo(a).actualOrderId;
    if (placed === null) return undefined;
    const known = this.orders.find((o) => o.ref.book === a.book && o.ref.id === placed);
    if (known) return known;
    const e = a.book === 'spot' ? this.books.spot.byId(placed) : this.books.swap.byId(placed);
    if (!e) return undefined;
    const limit = e.type === 'LIMIT' || e.type.endsWith('_LIMIT');
    const o: OkxOrder = {
      ordId: this.nextId(), clOrdId: '', tag: '', inst: a.inst, side: a.side, ordType: limit ? 'limit' : 'market', sz: fromBase(a.inst, e.origQty),
      px: limit ? e.price : ZERO, tdMode: a.tdMode, tgtCcy: a.book === 'spot' ? 'base_ccy' : '', reduceOnly: a.reduceOnly, ref: { book: a.book, id: placed }, algoId: a.algoId,
      cTime: a.book === 'spot' ? this.spotStop(a).workingTime : e.time,
    };
    this.orders.push(o);
    return o;
  }

  /** Records the orders every triggered algo placed (after a price move). */
  sync(): void {
    for (const a of this.algos) this.algoOrder(a);
  }

  findAlgo(algoId: string | undefined, algoClOrdId: string | undefined): OkxAlgo | undefined {
    if (algoId !== undefined) return this.algos.find((a) => a.algoId === algoId);
    if (algoClOrdId !== undefined) return this.algos.findLast((a) => a.algoClOrdId === algoClOrdId);
    return undefined;
  }

  cancelAlgo(algoId: string | undefined, instId: string | undefined, algoClOrdId?: string): OkxAlgo {
    const a = this.findAlgo(algoId, algoId === undefined ? algoClOrdId : undefined);
    if (!a || a.inst.instId !== instId || this.algoState(a) !== 'live') throw okxErrors.cancelMissing();
    if (a.book === 'spot') this.books.spot.cancel(a.inst.symbol, a.bookId);
    else this.books.swap.algo.cancel(a.bookId);
    return a;
  }

  /** Whether a position or an open order stands in the way of an account setting. */
  busy(): boolean {
    const swap = this.books.swap;
    return swap.account.symbols().some((x) => swap.account.position(x).amt !== ZERO) || swap.orders.some(isOpenOrder) || swap.algo.open().length > 0;
  }
}
