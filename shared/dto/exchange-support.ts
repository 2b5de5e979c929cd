/**
 * Support levels, in one place: every ccxt exchange id with how far Pinebridge has checked it.
 * - verified: its reliability suites (exactly-once under faults and kill -9, protective orders,
 *   reconciliation) pass against our simulator of that exchange, through the real ccxt class;
 * - reviewed: ccxt's source for it was read (client order id, look-up, cancel: exchange-reviews.ts),
 *   nothing was run against it;
 * - untested: every other ccxt id. Live trading there needs an explicit opt-in
 *   (`--allow-untested-exchange`, or the checkbox in Settings): a lost answer may not be recoverable.
 * `pinebridge exchanges`, the exchange picker and the README table are all made from this table.
 */
import { CCXT_EXCHANGES } from './ccxt-exchanges.js';
import { CLIENT_ORDER_ID_REVIEWS, type ClientOrderIdReview } from './exchange-reviews.js';

export const SUPPORT_LEVELS = ['verified', 'reviewed', 'untested'] as const;
export type SupportLevel = (typeof SUPPORT_LEVELS)[number];
/** yes / no, or not known (nobody checked). */
export type Feature = 'yes' | 'no' | 'unknown';

export const LEVEL_LABEL: Record<SupportLevel, string> = {
  verified: 'verified',
  reviewed: 'reviewed, not verified',
  untested: 'untested',
};

export interface ExchangeSupport {
  id: string;
  name: string;
  level: SupportLevel;
  /** What of the exchange the level is about. */
  markets: string;
  /** A lost answer, a 5xx or a crash never doubles or loses an order. */
  exactlyOnce: Feature;
  /** Stop-loss / take-profit rest on the exchange (they hold while Pinebridge is down). */
  protectiveOrders: Feature;
  trailing: Feature;
  /** ccxt knows a testnet (sandbox) for it. */
  testnet: boolean;
  /** A dead man's switch Pinebridge arms (resting entries cancelled if the machine dies). */
  deadManSwitch: Feature;
  /** Verified: the suite files (repository paths, `*` allowed in the file name) whose passing is the evidence. */
  suites: string[];
  /** Reviewed (and the verified non-Binance ones): how the client order id works there. */
  clientOrderId?: ClientOrderIdReview;
  notes: string;
}

type Own = Omit<ExchangeSupport, 'id' | 'name' | 'testnet'>;

const DEAD_MAN_BINANCE =
  "countdownCancelAll (POST /fapi/v1/countdownCancelAll) is armed per symbol only while that symbol has resting entries and no protective order open: it cancels every open order of the symbol, stop-losses included";

const VERIFIED: Record<string, Own> = {
  binance: {
    level: 'verified',
    markets: 'spot',
    exactlyOnce: 'yes',
    protectiveOrders: 'yes',
    trailing: 'yes',
    deadManSwitch: 'no',
    suites: ['test/reliability/exchange-faults.test.ts', 'test/reliability/crash.test.ts', 'test/execution/live.test.ts'],
    notes: 'spot protective orders hold the same coins: only one rests (the stop-loss first); no dead man\'s switch on spot',
  },
  binanceusdm: {
    level: 'verified',
    markets: 'USDⓈ-M perpetuals',
    exactlyOnce: 'yes',
    protectiveOrders: 'yes',
    trailing: 'yes',
    deadManSwitch: 'yes',
    suites: ['test/execution/perp-protective.test.ts', 'test/execution/leverage-serve.test.ts', 'test/risk/derivatives-serve.test.ts', 'test/execution/dead-man-serve.test.ts'],
    notes: `conditional orders are algo orders (/fapi/v1/algoOrder); ${DEAD_MAN_BINANCE}`,
  },
  bybit: {
    level: 'verified',
    markets: 'v5 unified account: spot and USDT perpetuals',
    exactlyOnce: 'yes',
    protectiveOrders: 'yes',
    trailing: 'yes',
    deadManSwitch: 'no',
    suites: ['test/exchanges/bybit*.test.ts'],
    clientOrderId: {
      param: 'orderLinkId',
      rule: 'up to 36 of [A-Za-z0-9_-]',
      create: 'yes: createOrder maps clientOrderId to orderLinkId',
      lookup: 'fetchOrder / fetchOpenOrder / fetchClosedOrder need { orderLinkId } (a clientOrderId param is ignored by Bybit and answers the newest open order of the symbol); unified accounts need acknowledged: true',
      cancel: 'cancelOrder(undefined, symbol, { orderLinkId })',
      gap: 'handled by the Bybit profile',
    },
    notes: "Bybit's disconnect-cancel (/v5/order/disconnected-cancel-all) fires on a private websocket disconnect; Pinebridge speaks REST only, so it is not armed",
  },
  okx: {
    level: 'verified',
    markets: 'v5: spot and USDT swaps',
    exactlyOnce: 'yes',
    protectiveOrders: 'yes',
    trailing: 'yes',
    deadManSwitch: 'no',
    suites: ['test/exchanges/okx*.test.ts'],
    clientOrderId: {
      param: 'clOrdId',
      rule: 'up to 32 case-sensitive letters and digits (no - or _)',
      create: 'yes: createOrder maps clientOrderId to clOrdId',
      lookup: 'fetchOrder(undefined, symbol, { clOrdId })',
      cancel: 'cancelOrder(undefined, symbol, { clOrdId })',
      gap: 'handled by the OKX profile (an id without the hyphen)',
    },
    notes: 'OKX has cancel-all-after (POST /api/v5/trade/cancel-all-after); Pinebridge does not arm it yet',
  },
};

const REVIEWED_MARKETS: Record<keyof typeof CLIENT_ORDER_ID_REVIEWS, string> = {
  bitget: 'spot and USDT perpetuals (read, not run)',
  kraken: 'spot (read, not run)',
  coinbase: 'Coinbase Advanced Trade spot (read, not run)',
  kucoin: 'spot (read, not run)',
  gate: 'spot and USDT perpetuals (read, not run)',
  bingx: 'spot and USDT perpetuals (read, not run)',
};

function reviewed(id: keyof typeof CLIENT_ORDER_ID_REVIEWS): Own {
  const r = CLIENT_ORDER_ID_REVIEWS[id];
  return {
    level: 'reviewed',
    markets: REVIEWED_MARKETS[id],
    exactlyOnce: 'no',
    protectiveOrders: 'unknown',
    trailing: 'unknown',
    deadManSwitch: 'no',
    suites: [],
    clientOrderId: r,
    notes: r.gap,
  };
}

/** ccxt ids that are another server of a verified exchange's class: untested, but say which. */
const VARIANT_OF: Record<string, string> = {
  binanceus: 'binance',
  binancecoinm: 'binanceusdm',
  bybiteu: 'bybit',
  bybitid: 'bybit',
  myokx: 'okx',
  okxus: 'okx',
  gateeu: 'gate',
  kucoinfutures: 'kucoin',
  krakenfutures: 'kraken',
  coinbaseexchange: 'coinbase',
  coinbaseinternational: 'coinbase',
};

function untested(id: string): Own {
  const of = VARIANT_OF[id];
  return {
    level: 'untested',
    markets: '',
    exactlyOnce: 'unknown',
    protectiveOrders: 'unknown',
    trailing: 'unknown',
    deadManSwitch: 'no',
    suites: [],
    notes: of ? `another server or product of ${of} in ccxt: not checked itself` : 'nothing checked: ccxt may trade it, Pinebridge has not verified how',
  };
}

/** Every ccxt exchange id with its support level, in ccxt's order. */
export const EXCHANGE_SUPPORT: readonly ExchangeSupport[] = CCXT_EXCHANGES.map(([id, name, testnet]) => {
  const own = VERIFIED[id] ?? (id in CLIENT_ORDER_ID_REVIEWS ? reviewed(id as keyof typeof CLIENT_ORDER_ID_REVIEWS) : untested(id));
  return { id, name, testnet, ...own };
});

const BY_ID = new Map(EXCHANGE_SUPPORT.map((e) => [e.id, e]));

/** The support entry of a ccxt id (exact, lower case), or null for an id ccxt does not have. */
export function exchangeSupport(id: string): ExchangeSupport | null {
  return BY_ID.get(id) ?? null;
}

/**
 * Whether live trading on this exchange needs the explicit opt-in: every exchange not verified
 * (a reviewed one has known gaps in exactly-once, so it asks too).
 */
export function needsUntestedOptIn(id: string): boolean {
  return exchangeSupport(id)?.level !== 'verified';
}

/** The verified and reviewed ones first (the picker's and the CLI's order), then the rest by id. */
export function exchangesByLevel(): ExchangeSupport[] {
  const rank = (e: ExchangeSupport) => SUPPORT_LEVELS.indexOf(e.level);
  return [...EXCHANGE_SUPPORT].sort((a, b) => rank(a) - rank(b) || a.id.localeCompare(b.id));
}

export { findExchanges, nearExchanges, exchangeIdProblem } from './exchange-search.js';

const cell = (f: Feature) => (f === 'yes' ? 'yes' : f === 'no' ? 'no' : '?');

/**
 * The README's support table (between its `exchange-support` markers): the verified and reviewed
 * exchanges row by row, then the count of untested ids. A test fails when the README differs.
 */
export function supportMarkdown(): string {
  const rows = exchangesByLevel().filter((e) => e.level !== 'untested');
  const untested = EXCHANGE_SUPPORT.filter((e) => e.level === 'untested').length;
  return [
    "| exchange (ccxt id) | level | markets | exactly-once | protective orders on the exchange | trailing | testnet | dead man's switch |",
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map((e) =>
      `| ${e.name} (\`${e.id}\`) | ${LEVEL_LABEL[e.level]} | ${e.markets} | ${cell(e.exactlyOnce)} | ${cell(e.protectiveOrders)} | ${cell(e.trailing)} | ${e.testnet ? 'yes' : 'no'} | ${cell(e.deadManSwitch)} |`,
    ),
    `| the other ${untested} ccxt ids | untested | — | ? | ? | ? | (per ccxt) | no |`,
  ].join('\n');
}
