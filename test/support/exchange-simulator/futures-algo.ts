/**
 * Binance USDⓈ-M algo (conditional) orders: STOP_MARKET, TAKE_PROFIT_MARKET, STOP, TAKE_PROFIT and
 * TRAILING_STOP_MARKET live in the Algo Service, apart from the plain orders (their own ids,
 * `clientAlgoId`, `algoStatus`). When the last (= mark) price crosses the trigger, the algo order
 * places a plain MARKET (or, for STOP / TAKE_PROFIT, LIMIT) order in the engine (`actualOrderId`),
 * which fills and moves the position like any other. The plain order gets a client id of its own:
 * the simulator does not promise it is the clientAlgoId, so a client must follow actualOrderId.
 */
import { type Dec, div, min, mul, SCALE, ZERO } from './decimal.js';
import { BinanceError, errors } from './errors.js';
import type { PositionSide } from './futures-account.js';
import { closesSide, type FuturesEngine } from './futures-engine.js';
import { futuresErrors } from './futures-errors.js';
import type { FuturesOrder } from './futures-records.js';
import { isOpenOrder, randomClientId } from './order-book.js';
import type { OrderSide } from './types.js';

export const ALGO_ORDER_TYPES = ['STOP_MARKET', 'TAKE_PROFIT_MARKET', 'STOP', 'TAKE_PROFIT', 'TRAILING_STOP_MARKET'] as const;
export type AlgoOrderType = (typeof ALGO_ORDER_TYPES)[number];
export type AlgoStatus = 'NEW' | 'CANCELED' | 'TRIGGERING' | 'TRIGGERED' | 'FINISHED' | 'REJECTED' | 'EXPIRED';

export interface AlgoOrder {
  algoId: number;
  clientAlgoId: string;
  orderType: AlgoOrderType;
  symbol: string;
  side: OrderSide;
  /** ZERO with closePosition (the whole position, whatever it is when triggered). */
  quantity: Dec;
  /** Limit price of STOP / TAKE_PROFIT; ZERO otherwise. */
  price: Dec;
  /** ZERO for a trailing stop. */
  triggerPrice: Dec;
  timeInForce: 'GTC' | 'IOC' | 'FOK' | 'GTX';
  workingType: 'CONTRACT_PRICE' | 'MARK_PRICE';
  reduceOnly: boolean;
  closePosition: boolean;
  /** BOTH in one-way mode; the side it closes (or opens) in hedge mode. */
  positionSide: PositionSide;
  /** Trailing stop: callback in percent, the price it activates at, the extreme price since. */
  callbackRate: Dec;
  activatePrice: Dec;
  activated: boolean;
  extreme: Dec;
  algoStatus: AlgoStatus;
  actualOrderId: number | null;
  createTime: number;
  updateTime: number;
  triggerTime: number;
}

export interface AlgoPlaceRequest {
  symbol: string;
  side: OrderSide;
  orderType: AlgoOrderType;
  quantity?: Dec;
  price?: Dec;
  triggerPrice?: Dec;
  timeInForce?: AlgoOrder['timeInForce'];
  workingType?: AlgoOrder['workingType'];
  reduceOnly: boolean;
  closePosition: boolean;
  /** Default BOTH. */
  positionSide?: PositionSide;
  callbackRate?: Dec;
  activatePrice?: Dec;
  clientAlgoId?: string;
}

const PERCENT = 100n * SCALE;

/** Whether `price` triggers a STOP* / TAKE_PROFIT* order (Binance's rule: stops on the way out, targets on the way in). */
function crosses(a: AlgoOrder, price: Dec): boolean {
  const stop = a.orderType === 'STOP' || a.orderType === 'STOP_MARKET';
  const up = (a.side === 'BUY') === stop; // a buy stop and a sell target trigger on a rise
  return up ? price >= a.triggerPrice : price <= a.triggerPrice;
}

export class FuturesAlgoBook {
  readonly orders: AlgoOrder[] = [];
  private nextAlgoId: number;

  constructor(
    private readonly engine: FuturesEngine,
    firstAlgoId: number,
    private readonly now: () => number,
  ) {
    this.nextAlgoId = firstAlgoId;
  }

  place(req: AlgoPlaceRequest): AlgoOrder {
    const m = this.engine.market(req.symbol);
    if (m.status !== 'TRADING') throw futuresErrors.symbolClosed();
    const clientAlgoId = req.clientAlgoId ?? randomClientId();
    // As with plain orders: a client id is unique among the open algo orders.
    if (this.orders.some((o) => o.clientAlgoId === clientAlgoId && o.algoStatus === 'NEW')) throw futuresErrors.duplicateClientOrderId();
    const last = this.engine.price(m.symbol);
    const trailing = req.orderType === 'TRAILING_STOP_MARKET';
    const now = this.now();
    const order: AlgoOrder = {
      algoId: this.nextAlgoId++,
      clientAlgoId,
      orderType: req.orderType,
      symbol: m.symbol,
      side: req.side,
      quantity: req.quantity ?? ZERO,
      price: req.price ?? ZERO,
      triggerPrice: trailing ? ZERO : (req.triggerPrice ?? ZERO),
      timeInForce: req.timeInForce ?? 'GTC',
      workingType: req.workingType ?? 'CONTRACT_PRICE',
      reduceOnly: req.reduceOnly,
      closePosition: req.closePosition,
      positionSide: req.positionSide ?? 'BOTH',
      callbackRate: req.callbackRate ?? ZERO,
      activatePrice: req.activatePrice ?? last,
      activated: false,
      extreme: last,
      algoStatus: 'NEW',
      actualOrderId: null,
      createTime: now,
      updateTime: now,
      triggerTime: 0,
    };
    if (trailing) {
      order.activated = req.activatePrice === undefined || (req.side === 'SELL' ? last >= order.activatePrice : last <= order.activatePrice);
    } else if (crosses(order, last)) {
      throw futuresErrors.wouldTriggerNow();
    }
    this.orders.push(order);
    return order;
  }

  /** GET /fapi/v1/algoOrder: by algoId, or the most recent algo order with clientAlgoId. */
  find(algoId?: number, clientAlgoId?: string): AlgoOrder | undefined {
    if (algoId !== undefined) {
      const o = this.orders.find((x) => x.algoId === algoId);
      return o && (clientAlgoId === undefined || o.clientAlgoId === clientAlgoId) ? o : undefined;
    }
    for (let i = this.orders.length - 1; i >= 0; i--) if (this.orders[i]?.clientAlgoId === clientAlgoId) return this.orders[i];
    return undefined;
  }

  cancel(algoId?: number, clientAlgoId?: string, symbol?: string): AlgoOrder {
    const o = this.find(algoId, clientAlgoId);
    if (!o || o.algoStatus !== 'NEW' || (symbol !== undefined && o.symbol !== symbol)) throw errors.unknownOrder();
    this.finish(o, 'CANCELED');
    return o;
  }

  open(symbol?: string): AlgoOrder[] {
    return this.orders.filter((o) => o.algoStatus === 'NEW' && (symbol === undefined || o.symbol === symbol));
  }

  /** The plain order a triggered algo order placed. */
  actual(o: AlgoOrder): FuturesOrder | undefined {
    return o.actualOrderId === null ? undefined : this.engine.byId(o.actualOrderId);
  }

  /** TRIGGERED while its plain order rests; FINISHED once that order is done. */
  status(o: AlgoOrder): AlgoStatus {
    if (o.algoStatus !== 'TRIGGERED') return o.algoStatus;
    const placed = this.actual(o);
    return placed && isOpenOrder(placed) ? 'TRIGGERED' : 'FINISHED';
  }

  /** A new last (= mark) price: every open algo order it triggers places its order, oldest first. */
  onPrice(symbol: string, price: Dec): void {
    for (const o of this.open(symbol)) {
      if (o.orderType === 'TRAILING_STOP_MARKET') {
        if (!this.trail(o, price)) continue;
      } else if (!crosses(o, price)) {
        continue;
      }
      this.trigger(o);
    }
  }

  /** Moves a trailing stop's extreme; true when the price has come back by the callback rate. */
  private trail(o: AlgoOrder, price: Dec): boolean {
    const sell = o.side === 'SELL';
    if (!o.activated) {
      if (sell ? price < o.activatePrice : price > o.activatePrice) return false;
      o.activated = true;
      o.extreme = price;
      return false;
    }
    const back = div(o.callbackRate, PERCENT);
    if (sell) {
      if (price > o.extreme) o.extreme = price;
      return price <= mul(o.extreme, SCALE - back);
    }
    if (price < o.extreme) o.extreme = price;
    return price >= mul(o.extreme, SCALE + back);
  }

  private trigger(o: AlgoOrder): void {
    o.algoStatus = 'TRIGGERING';
    o.triggerTime = this.now();
    let qty = o.quantity;
    if (o.reduceOnly || o.closePosition || closesSide(o)) {
      // Only as much as still closes the position: nothing left to close, the order expires.
      const closable = this.engine.account.closable(o.symbol, o.side, o.positionSide);
      qty = o.closePosition ? closable : min(qty, closable);
      if (qty <= ZERO) return this.finish(o, 'EXPIRED');
    }
    const limit = o.orderType === 'STOP' || o.orderType === 'TAKE_PROFIT';
    try {
      const { order } = this.engine.place({
        symbol: o.symbol,
        side: o.side,
        type: limit ? 'LIMIT' : 'MARKET',
        quantity: qty,
        // Hedge mode: the side says it closes (reduceOnly is not sent there).
        reduceOnly: o.positionSide === 'BOTH' && (o.reduceOnly || o.closePosition),
        positionSide: o.positionSide,
        newClientOrderId: randomClientId(),
        ...(limit ? { price: o.price, timeInForce: o.timeInForce } : {}),
      });
      o.actualOrderId = order.orderId;
      this.finish(o, 'TRIGGERED');
    } catch (e) {
      if (!(e instanceof BinanceError)) throw e;
      this.finish(o, 'REJECTED');
    }
  }

  private finish(o: AlgoOrder, status: AlgoStatus): void {
    o.algoStatus = status;
    o.updateTime = this.now();
  }
}
