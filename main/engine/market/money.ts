/** Money basics every part shares: quote and base of a market, USD-like quotes, amounts as text. */

// Built once: `toLocaleString` builds a formatter on every call (7 % of an alert's CPU when limits are checked).
const MONEY = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const LIMIT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 8 });

/** Quote currencies counted 1:1 as USD. */
export const USD_LIKE = new Set(['USD', 'USDT', 'USDC', 'BUSD', 'FDUSD', 'TUSD', 'USDP', 'DAI']);

/** `2,500.00`: a measured amount. */
export function money(n: number): string {
  return MONEY.format(n);
}

/** `2,000` or `2,000.5`: a limit as the user typed it. */
export function limitText(n: number): string {
  return LIMIT.format(n);
}

/** The quote of `BTC/USDT` or `BTC/USDT:USDT`. */
export function quoteOf(symbol: string): string {
  return symbol.split('/')[1]?.split(':')[0] ?? symbol;
}

export function baseOf(symbol: string): string {
  return symbol.split('/')[0] ?? symbol;
}
