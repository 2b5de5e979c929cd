/** OKX's documents for orders, algo orders, the trading balance and positions. */
import { div, max, mul, SCALE, ZERO } from '../exchange-simulator/decimal.js';
import { fromBase, type Instrument, s } from './instruments.js';
import type { OkxAlgo, OkxOrder, OkxOrderBook } from './okx-orders.js';

export function orderDoc(book: OkxOrderBook, o: OkxOrder): Record<string, unknown> {
  const e = book.engineOrder(o);
  const trades = (o.ref.book === 'spot' ? book.books.spot.trades : book.books.swap.trades).filter((t) => t.orderId === e.orderId);
  const fee = trades.reduce((sum, t) => sum + t.commission, ZERO);
  const lastTrade = trades.at(-1);
  const filled = fromBase(o.inst, e.executedQty);
  const swap = o.inst.instType === 'SWAP';
  const pos = swap ? book.books.swap.account.position(o.inst.symbol) : undefined;
  return {
    accFillSz: s(filled), algoClOrdId: '', algoId: o.algoId, attachAlgoClOrdId: '', attachAlgoOrds: [], avgPx: e.executedQty > ZERO ? s(div(e.cumQuote, e.executedQty)) : '',
    cTime: String(o.cTime), cancelSource: '', cancelSourceReason: '', category: 'normal', ccy: '', clOrdId: o.clOrdId, fee: fee === ZERO ? '0' : `-${s(fee)}`,
    feeCcy: lastTrade?.commissionAsset ?? (swap ? o.inst.quote : o.side === 'buy' ? o.inst.base : o.inst.quote), fillPx: lastTrade ? s(lastTrade.price) : '',
    fillSz: lastTrade ? s(fromBase(o.inst, lastTrade.qty)) : '', fillTime: lastTrade ? String(lastTrade.time) : '', instId: o.inst.instId, instType: o.inst.instType,
    isTpLimit: 'false', lever: pos ? String(pos.leverage) : '', linkedAlgoOrd: { algoId: '' }, ordId: o.ordId, ordType: o.ordType, pnl: '0', posSide: 'net',
    px: o.px === ZERO ? '' : s(o.px), pxType: '', pxUsd: '', pxVol: '', quickMgnType: '', rebate: '0', rebateCcy: o.inst.quote, reduceOnly: String(o.reduceOnly),
    side: o.side, slOrdPx: '', slTriggerPx: '', slTriggerPxType: '', source: '', state: book.state(o), stpId: '', stpMode: 'cancel_maker', sz: s(o.sz),
    tag: o.tag, tdMode: o.tdMode, tgtCcy: o.tgtCcy, tpOrdPx: '', tpTriggerPx: '', tpTriggerPxType: '', tradeId: lastTrade ? String(lastTrade.id) : '',
    uTime: String(e.updateTime),
  };
}

export function algoDoc(book: OkxOrderBook, a: OkxAlgo): Record<string, unknown> {
  const placed = book.algoOrder(a);
  const px = (d: typeof a.orderPx): string => (d === ZERO ? '' : d < ZERO ? '-1' : s(d));
  return {
    activePx: '', actualPx: placed ? s(book.engineOrder(placed).price) : '', actualSide: placed ? a.side : '', actualSz: placed ? s(placed.sz) : '0',
    algoClOrdId: a.algoClOrdId, algoId: a.algoId, amendPxOnTriggerType: '', attachAlgoOrds: [], cTime: String(a.cTime), callbackRatio: '', callbackSpread: '',
    ccy: '', clOrdId: a.clOrdId, closeFraction: '', failCode: '', instId: a.inst.instId, instType: a.inst.instType, last: s(a.book === 'spot' ? book.books.spot.price(a.inst.symbol) : book.books.swap.price(a.inst.symbol)),
    lever: a.book === 'spot' ? '' : String(book.books.swap.account.position(a.inst.symbol).leverage), moveTriggerPx: '', ordId: placed?.ordId ?? '', ordIdList: placed ? [placed.ordId] : [],
    ordPx: '', ordType: a.ordType, orderPx: a.ordType === 'trigger' ? px(a.orderPx) : '', posSide: 'net', pxLimit: '', pxSpread: '', pxVar: '', quickMgnType: '',
    reduceOnly: String(a.reduceOnly), side: a.side, slOrdPx: a.slTriggerPx > ZERO ? '-1' : '', slTriggerPx: a.slTriggerPx > ZERO ? s(a.slTriggerPx) : '',
    slTriggerPxType: a.slTriggerPx > ZERO ? 'last' : '', state: book.algoState(a), sz: s(a.sz), szLimit: '', tag: '', tdMode: a.tdMode, tgtCcy: '', timeInterval: '',
    tpOrdPx: a.tpTriggerPx > ZERO ? '-1' : '', tpTriggerPx: a.tpTriggerPx > ZERO ? s(a.tpTriggerPx) : '', tpTriggerPxType: a.tpTriggerPx > ZERO ? 'last' : '',
    triggerPx: a.triggerPx > ZERO ? s(a.triggerPx) : '', triggerPxType: a.triggerPx > ZERO ? 'last' : '', triggerTime: '', uTime: String(a.cTime),
  };
}

/** GET /api/v5/account/balance: the spot coins and the swap margin, per currency. */
export function balanceDoc(book: OkxOrderBook, ccys: string[] | undefined, now: number): Record<string, unknown> {
  const { spot, swap } = book.books;
  const all = [...new Set([...spot.ledger.assets(), ...swap.account.assets()])].filter((c) => ccys === undefined || ccys.includes(c)).sort();
  const details = all.map((ccy) => {
    const b = spot.ledger.get(ccy);
    const m = swap.account.summary(ccy, swap.openOrderMargin(ccy));
    const cash = b.free + b.locked + m.wallet;
    const frozen = b.locked + m.positionInitialMargin + m.openOrderInitialMargin;
    return {
      ccy, eq: s(cash + m.unrealized), cashBal: s(cash), availBal: s(b.free + max(m.available, ZERO)), availEq: s(b.free + max(m.available, ZERO)),
      frozenBal: s(frozen), ordFrozen: s(b.locked + m.openOrderInitialMargin), upl: s(m.unrealized), disEq: s(cash), eqUsd: s(cash), isoEq: '0', liab: '',
      crossLiab: '', interest: '', maxLoan: '', notionalLever: '', imr: s(m.positionInitialMargin), mmr: s(m.maintMargin), mgnRatio: '', uTime: String(now),
    };
  });
  return { adjEq: '', details, imr: '', isoEq: '0', mgnRatio: '', mmr: '', notionalUsd: '', ordFroz: '', totalEq: '', uTime: String(now) };
}

export function positionDoc(book: OkxOrderBook, inst: Instrument, now: number): Record<string, unknown> {
  const swap = book.books.swap;
  const p = swap.account.position(inst.symbol);
  const mark = swap.price(inst.symbol);
  const abs = p.amt < ZERO ? -p.amt : p.amt;
  const notional = mul(abs, mark);
  const imr = div(notional, BigInt(p.leverage) * SCALE);
  const m = swap.market(inst.symbol);
  return {
    adl: '1', availPos: '', avgPx: s(p.entry), baseBal: '', cTime: String(p.updateTime), ccy: inst.quote, deltaBS: '', gammaBS: '', imr: s(imr), instId: inst.instId,
    instType: 'SWAP', interest: '', last: s(mark), lever: String(p.leverage), liab: '', liqPx: s(swap.account.liquidationPrice(inst.symbol)), margin: '',
    markPx: s(mark), mgnMode: 'cross', mgnRatio: '', mmr: s(mul(notional, m.maintMarginRatio)), notionalUsd: s(notional), optVal: '', pos: s(fromBase(inst, p.amt)),
    posCcy: '', posId: `${inst.instId}-net`, posSide: 'net', quoteBal: '', realizedPnl: '0', upl: s(swap.account.unrealized(inst.symbol)), uplRatio: '0', uTime: String(now),
  };
}
