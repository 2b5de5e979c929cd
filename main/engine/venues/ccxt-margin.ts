/**
 * Leverage and margin mode through ccxt's `setMarginMode` / `setLeverage`, for CcxtVenue. What
 * was set last per market is kept, so an unchanged setting costs no request (every entry of a
 * strategy asks again). Margin mode first: on Binance a leverage is per margin mode's limits.
 * An exchange ccxt cannot set them on is refused with NotSupported rather than traded at
 * whatever the account has.
 */
import type { Exchange } from 'ccxt';
import type { MarginSettings } from '../core/ports.js';
import { isAlreadySet } from './margin-answers.js';
import { VenueError } from './venue-error.js';

export class CcxtMargin {
  private readonly set = new Map<string, MarginSettings>();

  constructor(
    private readonly ex: Exchange,
    /** CcxtVenue's classifying wrapper of one exchange call. */
    private readonly call: <T>(fn: () => Promise<T>) => Promise<T>,
  ) {}

  async apply(symbol: string, wanted: MarginSettings): Promise<void> {
    const has = this.ex.has as Record<string, unknown>;
    const { marginMode, leverage } = wanted;
    if (marginMode !== undefined && this.set.get(symbol)?.marginMode !== marginMode) {
      if (has.setMarginMode !== true) throw cannot(this.ex.id, 'margin mode', marginMode, symbol);
      await this.ask(() => this.ex.setMarginMode(marginMode, symbol));
      this.set.set(symbol, { ...this.set.get(symbol), marginMode });
    }
    if (leverage !== undefined && this.set.get(symbol)?.leverage !== leverage) {
      if (has.setLeverage !== true) throw cannot(this.ex.id, 'leverage', `${leverage}x`, symbol);
      // Some exchanges (OKX) set leverage per margin mode and need to be told which.
      const mode = marginMode ?? this.set.get(symbol)?.marginMode;
      await this.ask(() => this.ex.setLeverage(leverage, symbol, mode ? { marginMode: mode } : {}));
      this.set.set(symbol, { ...this.set.get(symbol), leverage });
    }
  }

  private async ask(fn: () => Promise<unknown>): Promise<void> {
    try {
      await this.call(fn);
    } catch (e) {
      if (e instanceof VenueError && isAlreadySet(e, this.ex.id)) return;
      throw e;
    }
  }
}

function cannot(exchange: string, what: string, value: string, symbol: string): VenueError {
  return new VenueError('permanent', 'NotSupported', `${exchange} cannot set the ${what} (${value}) of ${symbol} through Pinebridge`);
}
