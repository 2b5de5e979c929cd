/**
 * Venue errors as values the worker can act on. ccxt's error classes are mapped here by name
 * (walking the prototype chain), so classifying needs no `import('ccxt')`.
 *
 * - `transient`: the request may or may not have reached the exchange (NetworkError and its
 *   subclasses, 5xx, 429, timeouts, clock skew). For a create this means "outcome unknown":
 *   look the order up by clientOrderId before anything is sent again.
 * - `permanent`: the exchange answered "no" (funds, filters, symbol, keys). Never retried.
 * - `duplicate`: the clientOrderId is already in use by an open order, so the order exists.
 */
import { ccxtClassChain, profileFor } from './exchanges/index.js';

export type VenueErrorKind = 'transient' | 'permanent' | 'duplicate';

export class VenueError extends Error {
  constructor(
    readonly kind: VenueErrorKind,
    /** The ccxt class name (`InsufficientFunds`…) or our own code. */
    readonly code: string,
    message: string,
    /** Wait at least this long before the next try (rate limits). */
    readonly retryAfterMs = 0,
  ) {
    super(message);
    this.name = 'VenueError';
  }
}

const TRANSIENT = new Set([
  'NetworkError',
  'RequestTimeout',
  'ExchangeNotAvailable',
  'OnMaintenance',
  'DDoSProtection',
  'RateLimitExceeded',
  'InvalidNonce',
  'ChecksumError',
  // Not NetworkErrors, but the answer was unreadable: the order may exist.
  'BadResponse',
  'NullResponse',
  'OperationFailed',
]);

const PERMANENT = new Set([
  'InsufficientFunds',
  'InvalidOrder',
  'OrderNotFillable',
  'OrderImmediatelyFillable',
  'BadSymbol',
  'BadRequest',
  'AuthenticationError',
  'PermissionDenied',
  'AccountSuspended',
  'ArgumentsRequired',
  'NotSupported',
  'MarketClosed',
  'ContractUnavailable',
  'InvalidAddress',
  'OperationRejected',
  'ExchangeError',
]);

export { ccxtClassChain };

/** Maps anything a ccxt call threw to a VenueError with a message a trader understands. */
export function classifyError(e: unknown, exchange: string): VenueError {
  if (e instanceof VenueError) return e;
  const chain = ccxtClassChain(e);
  const raw = e instanceof Error ? e.message : String(e);
  const detail = plainDetail(raw.replace(new RegExp(`^${exchange}\\s*`), '')).slice(0, 300);
  if (chain.length === 0) {
    // Socket errors, aborted fetches, anything unexpected: the request may have gone out.
    return new VenueError('transient', 'NetworkError', `${exchange} could not be reached (${detail})`);
  }
  const cls = chain[0] as string;
  // The exchange's own codes first: a "maybe executed" or "duplicate id" ccxt files under another class.
  const own = profileFor(exchange).classify(chain, raw, exchange, detail);
  if (own) return new VenueError(own.kind, own.code, own.message, own.kind === 'transient' ? 200 : 0);
  if (chain.includes('DuplicateOrderId')) {
    return new VenueError('duplicate', 'DuplicateOrderId', `${exchange} already has an open order with this clientOrderId`);
  }
  if (chain.includes('OrderNotFound')) return new VenueError('permanent', 'OrderNotFound', `${exchange}: order not found`);
  const transient = chain.find((c) => TRANSIENT.has(c));
  if (transient) {
    const rateLimited = chain.includes('DDoSProtection') || chain.includes('RateLimitExceeded');
    return new VenueError('transient', cls, transientMessage(cls, exchange, detail), rateLimited ? 1000 : 0);
  }
  if (chain.find((c) => PERMANENT.has(c))) return new VenueError('permanent', cls, permanentMessage(cls, chain, exchange, detail));
  return new VenueError('transient', cls, `${exchange}: ${detail}`);
}

function transientMessage(cls: string, exchange: string, detail: string): string {
  switch (cls) {
    case 'RequestTimeout':
      return `${exchange} did not answer in time`;
    case 'DDoSProtection':
    case 'RateLimitExceeded':
      return `${exchange} is rate-limiting requests (${detail})`;
    case 'OnMaintenance':
      return `${exchange} is under maintenance`;
    case 'ExchangeNotAvailable':
      return `${exchange} is unavailable (${detail})`;
    case 'InvalidNonce':
      return `${exchange} refused the request's timestamp: this computer's clock is off (${detail})`;
    default:
      return `${exchange}: network problem (${detail})`;
  }
}

function permanentMessage(cls: string, chain: string[], exchange: string, detail: string): string {
  if (chain.includes('InsufficientFunds')) return `${exchange} refused the order: insufficient balance (${detail})`;
  if (chain.includes('PermissionDenied')) return `${exchange} refused the API key's permissions: ${profileFor(exchange).permissionHint} (${detail})`;
  if (chain.includes('AuthenticationError')) return `${exchange} refused the API keys: check the key and secret for this account and mode (${detail})`;
  if (chain.includes('BadSymbol')) return `${exchange} does not know this market (${detail})`;
  return `${exchange} refused the request: ${cls} (${detail})`;
}

/** `{"code":-2010,"msg":"Account has insufficient balance…"}` -> `Account has insufficient balance… (code -2010)`. */
function plainDetail(text: string): string {
  const json = /\{.*\}/s.exec(text)?.[0];
  if (!json) return text;
  try {
    const body = JSON.parse(json) as { msg?: unknown; message?: unknown; code?: unknown; retMsg?: unknown; retCode?: unknown; data?: unknown };
    // OKX puts the order's own refusal in data[0] (sCode / sMsg) under a general "Operation failed".
    const first = Array.isArray(body.data) ? (body.data[0] as { sMsg?: unknown; sCode?: unknown } | undefined) : undefined;
    if (first && typeof first.sMsg === 'string' && first.sMsg !== '') return `${first.sMsg}${first.sCode !== undefined ? ` (code ${String(first.sCode)})` : ''}`;
    const msg = body.msg ?? body.message ?? body.retMsg;
    const code = body.code ?? body.retCode;
    if (typeof msg === 'string') return `${msg}${code !== undefined ? ` (code ${String(code)})` : ''}`;
  } catch {
    // not JSON after all
  }
  return text;
}
