/** Binance's error bodies: `{"code": -XXXX, "msg": "..."}` with the HTTP status Binance uses. */
export class BinanceError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly code: number,
    readonly msg: string,
  ) {
    super(`${code} ${msg}`);
    this.name = 'BinanceError';
  }

  body(): { code: number; msg: string } {
    return { code: this.code, msg: this.msg };
  }
}

const bad = (code: number, msg: string): BinanceError => new BinanceError(400, code, msg);

export const errors = {
  unknown: (): BinanceError => new BinanceError(500, -1000, 'An unknown error occured while processing the request.'),
  tooManyRequests: (): BinanceError =>
    new BinanceError(429, -1003, 'Too many requests; current limit of IP(127.0.0.1) is 6000 requests per minute. Please use the websocket for live updates to avoid bans.'),
  ipBanned: (): BinanceError => new BinanceError(418, -1003, 'Way too many requests; IP(127.0.0.1) banned until further notice. Please use the websocket for live updates to avoid bans.'),
  timestampOutside: (): BinanceError => bad(-1021, 'Timestamp for this request is outside of the recvWindow.'),
  timestampAhead: (): BinanceError => bad(-1021, "Timestamp for this request was 1000ms ahead of the server's time."),
  badSignature: (): BinanceError => bad(-1022, 'Signature for this request is not valid.'),
  illegalChars: (param: string, legal?: string): BinanceError =>
    bad(-1100, legal ? `Illegal characters found in parameter '${param}'; legal range is '${legal}'.` : `Illegal characters found in parameter '${param}'.`),
  mandatory: (param: string): BinanceError => bad(-1102, `Mandatory parameter '${param}' was not sent, was empty/null, or malformed.`),
  paramNotRequired: (param: string): BinanceError => bad(-1106, `Parameter '${param}' sent when not required.`),
  tooMuchPrecision: (param: string): BinanceError => bad(-1111, `Parameter '${param}' has too much precision.`),
  invalidTimeInForce: (): BinanceError => bad(-1115, 'Invalid timeInForce.'),
  invalidOrderType: (): BinanceError => bad(-1116, 'Invalid orderType.'),
  invalidSide: (): BinanceError => bad(-1117, 'Invalid side.'),
  invalidSymbol: (): BinanceError => bad(-1121, 'Invalid symbol.'),
  recvWindowTooLarge: (): BinanceError => bad(-1131, 'recvWindow must be less than 60000'),
  marketClosed: (): BinanceError => bad(-1013, 'Market is closed.'),
  filterFailure: (filter: string): BinanceError => bad(-1013, `Filter failure: ${filter}`),
  insufficientBalance: (): BinanceError => bad(-2010, 'Account has insufficient balance for requested action.'),
  duplicateOrder: (): BinanceError => bad(-2010, 'Duplicate order sent.'),
  wouldTriggerImmediately: (): BinanceError => bad(-2010, 'Order would trigger immediately.'),
  wouldMatchAndTake: (): BinanceError => bad(-2010, 'Order would immediately match and take.'),
  unknownOrder: (): BinanceError => bad(-2011, 'Unknown order sent.'),
  orderDoesNotExist: (): BinanceError => bad(-2013, 'Order does not exist.'),
  apiKeyFormat: (): BinanceError => new BinanceError(401, -2014, 'API-key format invalid.'),
  invalidApiKey: (): BinanceError => new BinanceError(401, -2015, 'Invalid API-key, IP, or permissions for action.'),
};
