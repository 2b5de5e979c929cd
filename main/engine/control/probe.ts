/**
 * The conformance probe: with testnet keys, checks that an exchange does what Pinebridge relies
 * on, through the same venue the engine trades with: a far-from-market limit order placed, found
 * and cancelled by its clientOrderId (and a made-up id *not* found: some exchanges answer another
 * order instead), reduce-only refused where it would open a position, a trigger order placed,
 * found and cancelled in its own book, the position mode (an account in hedge mode, where Pinebridge
 * trades it, is probed with orders that name the long side), the balances. Whatever it placed is
 * cancelled before it returns, also when a step fails; what could not be is listed.
 */
import type { ProbeReportDto, ProbeStepDto, ProbeStepStatus } from '../../../shared/dto/probe.js';
import type { Settings } from '../core/config.js';
import { credentialName, type SecretStore, type Venue, type VenueMarket } from '../core/ports.js';
import { createExchange } from '../venues/ccxt-setup.js';
import { profileFor } from '../venues/exchanges/index.js';
import { accountExchange, VenueProvider } from '../venues/venue-provider.js';

export interface ProbeInput {
  settings: Settings;
  secrets: SecretStore;
  account: string;
  /** Unified symbol; default BTC/USDT (spot) */
  symbol?: string;
  addSecret: (value: string) => void;
  now: () => number;
}

const UNKNOWN_MIN_VALUE = 110;
const says = (e: unknown) => (e instanceof Error ? e.message : String(e)).slice(0, 400);

/** Runs the probe on the account's exchange in testnet mode. Never throws for the exchange's answers. */
export async function probeExchange(p: ProbeInput): Promise<ProbeReportDto> {
  const where = accountExchange(p.settings, p.account);
  // The account's exchange, in testnet whatever mode it trades in now: the probe never touches real money.
  const settings: Settings = {
    ...p.settings,
    mode: 'testnet',
    accounts: p.settings.accounts.map((a) => (a.name === p.account ? { ...a, mode: 'testnet' } : a)),
  };
  const symbol = p.symbol ?? 'BTC/USDT';
  const steps: ProbeStepDto[] = [];
  const leftOpen: string[] = [];
  const step = (name: string, status: ProbeStepStatus, detail: string) => steps.push({ step: name, status, detail });
  const report = (): ProbeReportDto => ({ account: p.account, exchange: where.exchange, mode: 'testnet', symbol, steps, leftOpen, ok: !steps.some((s) => s.status === 'failed') && leftOpen.length === 0 });

  const provider = new VenueProvider({
    settings,
    secrets: p.secrets,
    journal: () => {
      throw new Error('the probe trades no paper');
    },
    addSecret: p.addSecret,
    now: p.now,
    warn: () => {},
  });
  let venue: Venue;
  try {
    venue = await provider.venueFor(p.account);
    await venue.loadMarkets();
  } catch (e) {
    step('markets', 'failed', `could not connect to ${where.exchange} testnet and read its markets: ${says(e)}`);
    return report();
  }
  try {
    const market = venue.market(symbol);
    if (!market) {
      step('markets', 'failed', `${symbol} is not a market on ${where.exchange} testnet (${venue.markets().length} markets read)`);
      return report();
    }
    step('markets', 'ok', `${venue.markets().length} markets read; ${symbol} is a ${market.contract ? 'contract' : 'spot'} market`);
    await balances(venue, step);
    const hedge = await positionMode(where, settings, p, market, step);
    await orders(venue, market, step, leftOpen, p.now, hedge);
  } finally {
    await provider.closeAll();
  }
  return report();
}

async function balances(venue: Venue, step: (n: string, s: ProbeStepStatus, d: string) => void): Promise<void> {
  try {
    const b = await venue.fetchBalance();
    const held = Object.entries(b).filter(([, v]) => v.total > 0);
    step('balances', 'ok', held.length ? held.slice(0, 6).map(([c, v]) => `${c} ${v.total}`).join(', ') : 'read: every balance is zero');
  } catch (e) {
    step('balances', 'failed', `could not read balances: ${says(e)}`);
  }
}

/**
 * A small amount the market takes at `price`, a little over its minimums, in the venue's units
 * (contracts on a contract market). Where ccxt does not know the minimum order value (OKX), the
 * order is worth about 110 units of the quote currency, over the usual minimums (Binance USDⓈ-M: 100).
 */
function smallAmount(venue: Venue, m: VenueMarket, price: number): number {
  const contract = m.contractSize ?? 1;
  const byCost = (m.limits.cost.min ? m.limits.cost.min * 1.2 : UNKNOWN_MIN_VALUE) / (price * contract);
  const step = m.precision.amount ?? 0;
  const wanted = Math.max(m.limits.amount.min ?? 0, byCost, step);
  // Rounded up to a step: amountToPrecision rounds down.
  const up = step > 0 ? Math.ceil(wanted / step) * step : wanted;
  return venue.amountToPrecision(m.symbol, up * 1.000001) || up;
}

/** `hedge`: the account is in hedge mode, and Pinebridge trades it there: every order names the long side, as a buy entry does. */
async function orders(venue: Venue, m: VenueMarket, step: (n: string, s: ProbeStepStatus, d: string) => void, leftOpen: string[], now: () => number, hedge: boolean): Promise<void> {
  const long = hedge ? ({ positionSide: 'long' } as const) : {};
  // Letters and digits only: every exchange's id rules take it (OKX: no hyphen).
  const tag = `pbprobe${now().toString(36)}${Math.floor(Math.random() * 36 ** 4).toString(36)}`;
  const placed: { id: string; trigger: boolean }[] = [];
  let price: number;
  try {
    price = await venue.lastPrice(m.symbol);
  } catch (e) {
    step('place_limit', 'failed', `no last price for ${m.symbol}: ${says(e)}`);
    return;
  }
  try {
    // A buy at half the price never fills; the amount is the market's minimum there.
    const limit = venue.priceToPrecision(m.symbol, price * 0.5);
    const amount = smallAmount(venue, m, limit);
    const id = `${tag}l`;
    try {
      const o = await venue.createOrder({ symbol: m.symbol, side: 'buy', type: 'limit', amount, price: limit, clientOrderId: id, ...long });
      placed.push({ id, trigger: false });
      step('place_limit', 'ok', `limit buy ${amount} at ${limit} (last ${price}) placed as ${id}, status ${o.status}`);
    } catch (e) {
      step('place_limit', 'failed', `a limit buy ${amount} at ${limit} was refused: ${says(e)}`);
      return;
    }
    await lookUp(venue, m.symbol, id, step);
    await lookUpUnknown(venue, m.symbol, `${tag}x`, step);
    await cancelIt(venue, m.symbol, id, step, placed);
    await reduceOnly(venue, m, price, `${tag}r`, step, placed, hedge);
    await trigger(venue, m, price, `${tag}t`, step, placed, hedge);
  } finally {
    await cleanUp(venue, m.symbol, tag, placed, step, leftOpen);
  }
}

async function lookUp(venue: Venue, symbol: string, id: string, step: (n: string, s: ProbeStepStatus, d: string) => void): Promise<void> {
  try {
    const o = await venue.fetchOrderByClientId(symbol, id);
    if (!o) step('lookup', 'failed', `the order just placed as ${id} was not found by its clientOrderId`);
    else if (o.clientOrderId !== null && o.clientOrderId !== id) step('lookup', 'failed', `looked up as ${id}, the exchange answered another order (${o.clientOrderId})`);
    else if (o.status !== 'open') step('lookup', 'failed', `found by its clientOrderId but ${o.status}, not open`);
    else step('lookup', 'ok', `found by clientOrderId ${id}: open, ${o.amount} at ${o.price}`);
  } catch (e) {
    step('lookup', 'failed', `looking the order up by clientOrderId failed: ${says(e)}`);
  }
}

async function lookUpUnknown(venue: Venue, symbol: string, id: string, step: (n: string, s: ProbeStepStatus, d: string) => void): Promise<void> {
  try {
    const o = await venue.fetchOrderByClientId(symbol, id);
    if (o) step('lookup_unknown', 'failed', `a clientOrderId never sent (${id}) answered an order (${o.clientOrderId ?? o.id}): a lost answer would be mistaken for another order`);
    else step('lookup_unknown', 'ok', `a clientOrderId never sent is reported as not found`);
  } catch (e) {
    step('lookup_unknown', 'failed', `a clientOrderId never sent did not answer "not found" but: ${says(e)}`);
  }
}

async function cancelIt(venue: Venue, symbol: string, id: string, step: (n: string, s: ProbeStepStatus, d: string) => void, placed: { id: string; trigger: boolean }[]): Promise<void> {
  try {
    const c = await venue.cancelOrder(symbol, id);
    const after = await venue.fetchOrderByClientId(symbol, id);
    if (!c) step('cancel', 'failed', `cancelling by clientOrderId ${id} found no open order`);
    else if (after && after.status === 'open') step('cancel', 'failed', `cancelled by clientOrderId, but the order is still open`);
    else {
      step('cancel', 'ok', `cancelled by clientOrderId; looked up again: ${after?.status ?? 'not found'}`);
      placed.splice(placed.findIndex((x) => x.id === id), 1);
    }
  } catch (e) {
    step('cancel', 'failed', `cancelling by clientOrderId failed: ${says(e)}`);
  }
}

/**
 * An exit must never open a position: a reduce-only sell with no position is refused. In hedge
 * mode an exit is a close of its side (a sell of the long side, which Pinebridge sends with no
 * reduce-only flag on Binance, -1106): with no long position it must be refused too.
 */
async function reduceOnly(
  venue: Venue,
  m: VenueMarket,
  price: number,
  id: string,
  step: (n: string, s: ProbeStepStatus, d: string) => void,
  placed: { id: string; trigger: boolean }[],
  hedge: boolean,
): Promise<void> {
  if (!m.contract) {
    step('reduce_only', 'not_supported', `${m.symbol} is spot: reduce-only is a derivatives flag`);
    return;
  }
  const what = hedge ? 'a close of the long side (a sell, position side long)' : 'a reduce-only sell';
  try {
    const positions = venue.fetchPositions ? (await venue.fetchPositions([m.symbol])).filter((x) => x.symbol === m.symbol) : [];
    const held = positions.find((x) => (hedge ? x.side === 'long' : true));
    if (held && held.contracts !== 0) {
      step('reduce_only', 'not_supported', `not checked: the account holds ${held.contracts} ${m.symbol}${hedge ? ' on the long side' : ''}, so ${what} would be valid`);
      return;
    }
    const limit = venue.priceToPrecision(m.symbol, price * 1.5);
    const amount = smallAmount(venue, m, limit);
    try {
      await venue.createOrder({ symbol: m.symbol, side: 'sell', type: 'limit', amount, price: limit, clientOrderId: id, ...(hedge ? { positionSide: 'long' } : { reduceOnly: true }) });
      placed.push({ id, trigger: false });
      step('reduce_only', 'failed', `${what} with no position was accepted: the exchange would let an exit open a position`);
    } catch (e) {
      step('reduce_only', 'ok', `${what} with no position was refused: ${says(e)}`);
    }
  } catch (e) {
    step('reduce_only', 'failed', `could not read the position to check reduce-only: ${says(e)}`);
  }
}

async function trigger(
  venue: Venue,
  m: VenueMarket,
  price: number,
  id: string,
  step: (n: string, s: ProbeStepStatus, d: string) => void,
  placed: { id: string; trigger: boolean }[],
  hedge: boolean,
): Promise<void> {
  if (!venue.has.stopOrders) {
    step('trigger', 'not_supported', `${venue.id} has no separate trigger orders in ccxt`);
    return;
  }
  // A stop buy far above the market: it never triggers.
  const stop = venue.priceToPrecision(m.symbol, price * 1.5);
  const limit = venue.priceToPrecision(m.symbol, price * 1.55);
  const amount = smallAmount(venue, m, limit);
  try {
    await venue.createOrder({ symbol: m.symbol, side: 'buy', type: 'stop_limit', amount, price: limit, triggerPrice: stop, clientOrderId: id, ...(hedge ? { positionSide: 'long' as const } : {}) });
    placed.push({ id, trigger: true });
  } catch (e) {
    step('trigger', 'failed', `a stop-limit buy triggering at ${stop} was refused: ${says(e)}`);
    return;
  }
  try {
    const found = await venue.fetchOrderByClientId(m.symbol, id, { trigger: true });
    if (!found || found.status !== 'open') {
      step('trigger', 'failed', `a stop-limit buy triggering at ${stop} was placed but ${found ? `is ${found.status}` : 'not found by its clientOrderId in the trigger book'}`);
      return;
    }
    const c = await venue.cancelOrder(m.symbol, id, { trigger: true });
    if (!c) {
      step('trigger', 'failed', 'the trigger order was found but cancelling it by clientOrderId found nothing');
      return;
    }
    placed.splice(placed.findIndex((x) => x.id === id), 1);
    step('trigger', 'ok', `stop-limit buy triggering at ${stop}: placed, found and cancelled by clientOrderId`);
  } catch (e) {
    step('trigger', 'failed', `the trigger order: ${says(e)}`);
  }
}

/** Reads the position mode; true when the account is in hedge mode and Pinebridge trades it there (the orders then name their side). */
async function positionMode(
  where: { exchange: string; exchangeUrl: string | undefined },
  s: Settings,
  p: ProbeInput,
  m: VenueMarket,
  step: (n: string, st: ProbeStepStatus, d: string) => void,
): Promise<boolean> {
  if (!m.contract) {
    step('position_mode', 'not_supported', `${m.symbol} is spot: no position mode`);
    return false;
  }
  try {
    const [apiKey, secret, password] = await Promise.all((['apiKey', 'secret', 'password'] as const).map((k) => p.secrets.get(credentialName(p.account, 'testnet', k))));
    const ex = await createExchange({
      exchangeId: where.exchange,
      mode: 'testnet',
      credentials: apiKey && secret ? { apiKey, secret, ...(password ? { password } : {}) } : null,
      exchangeUrl: where.exchangeUrl,
      timeoutMs: s.execution.exchangeTimeoutMs ?? 10_000,
    });
    if ((ex.has as Record<string, unknown>).fetchPositionMode !== true) {
      step('position_mode', 'not_supported', `ccxt cannot read the position mode of ${where.exchange}`);
      return false;
    }
    await ex.loadMarkets();
    const r = (await ex.fetchPositionMode(m.symbol)) as { hedged?: boolean };
    if (!r.hedged) {
      step('position_mode', 'ok', 'one-way mode (one net position per market, as Pinebridge trades)');
      return false;
    }
    if (profileFor(where.exchange).capabilities({}, where.exchange).hedgeMode !== true) {
      step('position_mode', 'failed', `the account is in hedge mode, which Pinebridge does not trade on ${where.exchange}: switch it to one-way mode`);
      return false;
    }
    step('position_mode', 'ok', 'hedge mode (a long and a short position per market): Pinebridge trades it, each order naming its position side; the probe\'s orders below name the long side');
    return true;
  } catch (e) {
    step('position_mode', 'failed', `could not read the position mode: ${says(e)}`);
    return false;
  }
}

/** Cancels whatever the probe placed that is still open (in both books); lists what it could not. */
async function cleanUp(venue: Venue, symbol: string, tag: string, placed: { id: string; trigger: boolean }[], step: (n: string, s: ProbeStepStatus, d: string) => void, leftOpen: string[]): Promise<void> {
  for (const o of [...placed]) {
    try {
      await venue.cancelOrder(symbol, o.id, o.trigger ? { trigger: true } : {});
    } catch {
      // listed below if it is still open
    }
  }
  const stillOpen: string[] = [];
  let listed = true;
  for (const book of [{}, { trigger: true }]) {
    try {
      const open = await venue.fetchOpenOrders(symbol, book);
      stillOpen.push(...open.map((o) => o.clientOrderId ?? '').filter((c) => c.startsWith(tag)));
    } catch (e) {
      listed = false;
      // Unlisted: what the probe could not cancel counts as open.
      stillOpen.push(...placed.filter((x) => x.trigger === 'trigger' in book).map((x) => x.id));
      step('cleanup', 'failed', `could not list the open ${'trigger' in book ? 'trigger ' : ''}orders to check nothing was left: ${says(e)}`);
    }
  }
  leftOpen.push(...new Set(stillOpen));
  if (leftOpen.length) step('cleanup', 'failed', `still open after the probe (cancel them on the exchange): ${leftOpen.join(', ')}`);
  else if (listed) step('cleanup', 'ok', 'nothing the probe placed is left open');
}
