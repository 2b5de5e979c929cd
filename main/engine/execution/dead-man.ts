/**
 * The dead man's switch, optional (`deadManSwitch.enabled`): while Pinebridge runs, every
 * `renewSec` it renews the exchange's countdown cancel on each market where the account has
 * resting entries (limit / stop entries, resting exits) and no protective order, so if the
 * machine dies those entries are cancelled `countdownSec` later instead of filling with nobody
 * there to place their stop-loss. A market with a stop-loss, take-profit or trailing stop open
 * (Pinebridge's or anyone's, in the exchange's trigger book) is never armed: the exchange's
 * countdown cancels every open order of the market, protective ones included. A graceful stop
 * stops the countdowns (a planned restart cancels nothing). Where it runs: hasCountdownCancel.
 */
import type { Venue } from '../core/ports.js';
import { hasCountdownCancel } from '../venues/dead-man-switch.js';
import { knownAccounts } from '../venues/venue-provider.js';
import type { ExecDeps } from './exec-deps.js';

const PROTECTIVE = new Set(['stop_loss', 'take_profit', 'trailing_stop']);

interface Armed {
  account: string;
  symbol: string;
  venue: Venue;
}

export class DeadManSwitch {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();
  private armed = new Map<string, Armed>();
  /** Why a market is not armed, as last logged (logged again only when it changes). */
  private readonly told = new Map<string, string>();
  private stopped = false;

  constructor(private readonly d: ExecDeps) {}

  start(): void {
    const s = this.d.settings.deadManSwitch;
    this.tick();
    this.timer = setInterval(() => this.tick(), s.renewSec * 1000);
    this.timer.unref();
  }

  /** One renewal round (serialized: a slow exchange never overlaps two rounds). */
  tick(): Promise<void> {
    this.running = this.running.then(() => (this.stopped ? undefined : this.renew())).catch((e: unknown) => this.d.logger.warn({ err: String(e) }, "dead man's switch: renewing failed"));
    return this.running;
  }

  /** Stops the countdowns it armed (best effort) and renews no more. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
    await Promise.allSettled([...this.armed.values()].map((a) => a.venue.cancelAllAfter?.(a.symbol, 0)));
    this.armed.clear();
  }

  private async renew(): Promise<void> {
    const s = this.d.settings.deadManSwitch;
    const wanted = new Map<string, Armed>();
    if (s.enabled) {
      const journal = this.d.journal();
      for (const account of knownAccounts(this.d.settings)) {
        const mode = this.d.venues.modeFor(account);
        const exchange = this.d.venues.exchangeFor(account);
        if (mode === 'paper' || !hasCountdownCancel(exchange)) continue;
        const open = journal.intents.open(mode, exchange).filter((i) => i.account === account);
        const symbols = new Set(open.filter((i) => !PROTECTIVE.has(i.purpose)).map((i) => i.symbol));
        if (symbols.size === 0) continue;
        const venue = await this.d.venues.venueFor(account);
        for (const symbol of symbols) {
          const key = `${account}\u0000${symbol}`;
          const ours = open.filter((i) => i.symbol === symbol && PROTECTIVE.has(i.purpose)).length;
          const theirs = ours ? 0 : (await venue.fetchOpenOrders(symbol, { trigger: true })).length;
          if (ours || theirs) {
            this.tell(key, `dead man's switch not armed on ${symbol} (account ${account}): ${ours ? 'its stop-loss / take-profit' : `${theirs} trigger order(s) on the exchange`} would be cancelled with the entries`);
            continue;
          }
          await venue.cancelAllAfter?.(symbol, s.countdownSec * 1000);
          wanted.set(key, { account, symbol, venue });
          this.tell(key, `dead man's switch armed on ${symbol} (account ${account}, ${exchange}): its resting entries are cancelled ${s.countdownSec} s after Pinebridge stops renewing it`);
        }
      }
    }
    for (const [key, a] of this.armed) {
      if (wanted.has(key)) continue;
      await a.venue.cancelAllAfter?.(a.symbol, 0);
      this.tell(key, `dead man's switch stopped on ${a.symbol} (account ${a.account}): no resting entry left to guard`);
    }
    this.armed = wanted;
  }

  private tell(key: string, message: string): void {
    if (this.told.get(key) === message) return;
    this.told.set(key, message);
    this.d.logger.info(message);
  }
}
