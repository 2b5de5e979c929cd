/**
 * OKX v5's error answers. A request-level refusal is `{"code": "50113", "msg": "...", "data": []}`
 * (auth failures with HTTP 401); a refused order is `{"code": "1", "msg": "All operations failed",
 * "data": [{"sCode": "51016", "sMsg": "..."}]}` on HTTP 200. The shared engines' refusals (raised in
 * Binance's codes) are translated into OKX's sCodes.
 */
import { BinanceError } from '../exchange-simulator/errors.js';

export class OkxError extends Error {
  constructor(
    readonly code: string,
    readonly msg: string,
    /** 200 for everything but the authentication family (401). */
    readonly httpStatus = 200,
    /** An order operation's refusal: answered in `data[0].sCode` under code "1". */
    readonly operation = false,
  ) {
    super(`${code} ${msg}`);
    this.name = 'OkxError';
  }
}

const op = (sCode: string, sMsg: string): OkxError => new OkxError(sCode, sMsg, 200, true);
const auth = (code: string, msg: string): OkxError => new OkxError(code, msg, 401);

export const okxErrors = {
  param: (name: string): OkxError => new OkxError('51000', `Parameter ${name} error`),
  paramOp: (name: string): OkxError => op('51000', `Parameter ${name} error`),
  instrument: (): OkxError => new OkxError('51001', "Instrument ID doesn't exist."),
  instrumentOp: (): OkxError => op('51001', "Instrument ID doesn't exist."),
  timestamp: (): OkxError => auth('50102', 'Timestamp request expired'),
  keyEmpty: (): OkxError => auth('50103', 'Request header "OK-ACCESS-KEY" cannot be empty.'),
  passphrase: (): OkxError => auth('50105', 'Request header "OK-ACCESS-PASSPHRASE" incorrect.'),
  apiKey: (): OkxError => auth('50111', 'Invalid OK-ACCESS-KEY.'),
  signature: (): OkxError => auth('50113', 'Invalid signature.'),
  insufficient: (): OkxError => op('51008', 'Order failed. Insufficient USDT balance in account.'),
  duplicate: (): OkxError => op('51016', 'Duplicated client order ID'),
  sizeMin: (): OkxError => op('51020', 'Your order should meet or exceed the minimum order amount.'),
  lotSize: (): OkxError => op('51121', 'Order quantity must be a multiple of the lot size.'),
  priceTick: (): OkxError => op('51000', 'Parameter px error'),
  reduceOnly: (): OkxError => op('51169', "Order failed because you don't have any positions in this direction for this contract to reduce or close."),
  triggerNow: (): OkxError => op('51277', 'TP trigger price cannot be higher than the last price'),
  cancelMissing: (): OkxError => op('51400', 'Order cancellation failed as the order has been filled, canceled or does not exist.'),
  orderMissing: (): OkxError => new OkxError('51603', 'Order does not exist'),
  positionsOrOrders: (): OkxError => new OkxError('59000', 'Settings failed. Close any open positions or orders before modifying settings.'),
};

function fromEngine(err: BinanceError): OkxError {
  switch (err.code) {
    case -1121:
      return okxErrors.instrumentOp();
    case -1013:
      if (err.msg.includes('PRICE_FILTER')) return okxErrors.priceTick();
      if (err.msg.includes('LOT_SIZE')) return okxErrors.lotSize();
      return okxErrors.sizeMin();
    case -2010:
    case -2019:
      return okxErrors.insufficient();
    case -2011:
    case -2013:
      return okxErrors.cancelMissing();
    case -2021:
      return okxErrors.triggerNow();
    case -2022:
      return okxErrors.reduceOnly();
    case -4003:
    case -4004:
    case -4164:
      return okxErrors.sizeMin();
    case -4005:
    case -4023:
      return okxErrors.lotSize();
    case -4013:
    case -4014:
    case -4016:
      return okxErrors.priceTick();
    default:
      return op('51000', err.msg);
  }
}

/** Runs `fn`; an engine refusal comes out as the OkxError OKX would answer with. */
export function asOkx<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof BinanceError) throw fromEngine(err);
    throw err;
  }
}
