/**
 * How each exchange beyond the verified ones takes a client order id, and how an order is looked
 * up and cancelled by it, read from ccxt's own source (node_modules/ccxt/js/src/<id>.js of the
 * installed ccxt: `createOrder`, `fetchOrder`, `cancelOrder`) and, for the id rules, the
 * exchange's API documentation. Nothing here is tested against the exchange: that is what
 * "reviewed, not verified" means. Exactly-once needs all three (the id sent, a look-up by it that
 * cannot answer with a different order, a cancel by it), and an id that is unique among filled
 * orders too (Binance and Kraken only refuse a reused id among *open* orders).
 */
export interface ClientOrderIdReview {
  /** The exchange's own parameter, and the one ccxt's createOrder maps `params.clientOrderId` to. */
  param: string;
  /** Length and characters the exchange accepts. */
  rule: string;
  /** Whether `createOrder(…, { clientOrderId })` sends it. */
  create: string;
  /** How an order is found by it through ccxt, or why it cannot be. */
  lookup: string;
  /** How an order is cancelled by it through ccxt, or why it cannot be. */
  cancel: string;
  /** What stands between this exchange and exactly-once in Pinebridge today. */
  gap: string;
}

/** The reviewed exchanges (ccxt ids), as read from ccxt 4.5.x. */
export const CLIENT_ORDER_ID_REVIEWS: Record<'bitget' | 'kraken' | 'coinbase' | 'kucoin' | 'gate' | 'bingx', ClientOrderIdReview> = {
  bitget: {
    param: 'clientOid',
    rule: 'up to 50 characters (Bitget error 40305: "Client_oid length is not greater than 50")',
    create: 'yes: createOrder maps clientOrderId (or clientOid) to clientOid, spot and mix (perpetual) alike',
    lookup: 'fetchOrder(undefined, symbol, { clientOrderId }) sends clientOid (spot: /api/v2/spot/trade/orderInfo, perps: /api/v2/mix/order/detail); an empty answer raises OrderNotFound',
    cancel: 'cancelOrder(undefined, symbol, { clientOrderId }) sends clientOid (plan orders of perps: in orderIdList)',
    gap: "Pinebridge's pb<alert>-<leg> fits; no testnet in ccxt (Bitget's demo trading is not wired), so `pinebridge probe` cannot run there",
  },
  kraken: {
    param: 'cl_ord_id',
    rule: 'a UUID (36 characters with hyphens, or 32 hex) or free text up to 18 characters; unique among open orders only',
    create: 'yes: createOrder maps clientOrderId to cl_ord_id',
    lookup: 'not by fetchOrder: it maps clientOrderId to userref (an integer tag) and then requires the order id in the answer, so with id undefined it always raises OrderNotFound; a look-up has to scan fetchOpenOrders / fetchClosedOrders for the clientOrderId',
    cancel: 'cancelOrder(undefined, symbol, { clientOrderId }) sends cl_ord_id (and no txid)',
    gap: "pb<alert>-<leg> is longer than 18 characters for most alert ids (a UUID form is needed); no look-up by id through fetchOrder; the id is only unique among open orders, so a resend after a lost answer can duplicate a filled order; spot only (no testnet in ccxt)",
  },
  coinbase: {
    param: 'client_order_id',
    rule: 'free text; ccxt itself sends "ccxt-<uuid>"',
    create: "no: createOrder always sets client_order_id to its own 'ccxt-' + uuid and drops params.clientOrderId; only a raw params.client_order_id overrides it",
    lookup: 'no: fetchOrder takes only the exchange order id (/brokerage/orders/historical/{order_id})',
    cancel: 'no: cancelOrder takes only exchange order ids (batch_cancel)',
    gap: 'without a look-up by client id, a lost answer cannot be resolved: the order may exist and Pinebridge cannot find it; no testnet in ccxt',
  },
  kucoin: {
    param: 'clientOid',
    rule: 'up to 40 characters (KuCoin recommends a UUID); a duplicate is error 126044',
    create: 'yes: createOrder sends clientOid = clientOrderId, or a fresh uuid when none is given',
    lookup: "fetchOrder(id, symbol, { clientOrderId }) reads /order/client-order/{clientOid} (hf: /hf/orders/client-order/…) but ccxt's fetchOrder refuses id undefined (ArgumentsRequired): pass any id together with clientOrderId",
    cancel: 'cancelOrder(undefined, symbol, { clientOrderId }) cancels by clientOid (spot; hf orders need the symbol)',
    gap: 'the look-up needs a placeholder id (a profile must pass one); perpetuals are the kucoinfutures class; no testnet in ccxt',
  },
  gate: {
    param: 'text',
    rule: "must start with 't-'; at most 28 characters after it (ccxt refuses a longer one with BadRequest); letters, digits, _ - . only",
    create: "yes: createOrder maps clientOrderId to text, adding the 't-' prefix",
    lookup: "fetchOrder(undefined, symbol, { clientOrderId }) puts 't-<id>' in place of the order id (Gate's API takes the custom text there)",
    cancel: "cancelOrder does not map clientOrderId: pass 't-<id>' as the id itself (Gate accepts the text as order_id)",
    gap: 'the cancel needs the t- id passed as the order id (a profile must do it); testnet exists in ccxt',
  },
  bingx: {
    param: 'newClientOrderId (spot) / clientOrderID (perpetual swap)',
    rule: '1-40 characters of letters, digits and _ (as ccxt documents the parameter): the hyphen of pb<alert>-<leg> is not in it',
    create: 'yes: createOrder maps clientOrderId to newClientOrderId on spot and clientOrderID on swaps',
    lookup: 'fetchOrder does not map clientOrderId: it always sends orderId; the native clientOrderID has to be passed in params',
    cancel: 'cancelOrder(undefined, symbol, { clientOrderId }) sends clientOrderID (spot and swaps)',
    gap: 'needs a client id without a hyphen and a look-up through the native parameter; testnet exists in ccxt',
  },
};
