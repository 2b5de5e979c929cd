/**
 * Reconciliation runs: on start (once orders left in flight are resolved), every
 * `reconciliation.intervalSec`, and on demand (`reconcile`). Each compares one account's ledger
 * with its exchange balances (and derivatives positions) through read-only calls, keeps the
 * result as the account's visible state (`getReconciliation`), and emits a `reconciliation`
 * event when a drift appears, changes or goes away. It never places or cancels an order.
 */
import type { ReconAssetDto, ReconciliationDto } from '../../../shared/dto/reconciliation.js';
import type { Settings } from '../core/config.js';
import type { EventBus } from '../core/event-bus.js';
import type { Journal } from '../journal/journal.js';
import type { Logger } from '../core/logging/logger.js';
import type { VenueBalances, VenuePosition } from '../core/ports.js';
import { quoteOf } from '../market/money.js';
import { lastPrice } from '../journal/prices.js';
import { loadRates } from '../risk/valuation.js';
import { VenueError } from '../venues/venue-error.js';
import { knownAccounts, type VenueProvider } from '../venues/venue-provider.js';
import { compare, describeDrift, ledgerNet, symbolOfKey, takeBaseline, type FillGroup, type LedgerNet } from './reconciliation.js';

export interface ReconcilerDeps {
  settings: Settings;
  /** The journal the engine opened (it stays the same while the engine runs). */
  journal: Journal;
  venues: VenueProvider;
  now: () => number;
  events: EventBus;
  logger: Logger;
}

type Trigger = ReconciliationDto['trigger'];

const RETRY_UNSETTLED_MS = 2000;

interface Snapshot {
  ledger: LedgerNet;
  balances: VenueBalances;
  positions: VenuePosition[] | null;
  inFlight: number;
  openOrders: number;
}

export class Reconciler {
  private readonly last = new Map<string, ReconciliationDto>();
  private readonly running = new Map<string, Promise<ReconciliationDto>>();
  private timer: NodeJS.Timeout | null = null;
  private readonly retries = new Map<string, NodeJS.Timeout>();
  private stopped = false;

  constructor(private readonly d: ReconcilerDeps) {}

  /** Reconciles every account now, then every `intervalSec`. */
  start(): void {
    if (this.stopped) return;
    void this.runAll('start');
    const sec = this.d.settings.reconciliation.intervalSec;
    if (sec > 0) {
      this.timer = setInterval(() => void this.runAll('periodic'), sec * 1000);
      this.timer.unref();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    for (const t of this.retries.values()) clearTimeout(t);
    this.retries.clear();
    await Promise.allSettled([...this.running.values()]);
  }

  /** The accounts worth reconciling: the configured ones and any with fills in the mode it trades in now. */
  accounts(): string[] {
    const traded = this.d.journal.db.prepare(`SELECT DISTINCT account, mode FROM fill_totals WHERE fills > 0`).all() as { account: string; mode: string }[];
    const modeOf = (a: string) => this.d.venues.modeFor(a);
    return [...new Set([...knownAccounts(this.d.settings), ...traded.filter((r) => modeOf(r.account) === r.mode).map((r) => r.account)])];
  }

  list(account?: string): ReconciliationDto[] {
    return [...this.last.values()].filter((r) => r.mode === this.d.venues.modeFor(r.account) && (account === undefined || r.account === account));
  }

  async runAll(trigger: Trigger): Promise<ReconciliationDto[]> {
    if (this.stopped) return [];
    let names: string[];
    try {
      names = this.accounts();
    } catch {
      return []; // the journal is closing
    }
    const out: ReconciliationDto[] = [];
    for (const a of names) out.push(await this.run(a, trigger));
    return out;
  }

  /** One account, now (a run already going for it is joined, not repeated). */
  run(account: string, trigger: Trigger): Promise<ReconciliationDto> {
    let r = this.running.get(account);
    if (!r) {
      r = this.reconcile(account, trigger).finally(() => this.running.delete(account));
      this.running.set(account, r);
    }
    return r;
  }

  /**
   * The user accepts the account as it is: a new baseline (exchange - ledger now), so today's
   * differences count as held outside Pinebridge. Refused while orders are in flight.
   */
  async accept(account: string): Promise<ReconciliationDto> {
    await this.running.get(account)?.catch(() => undefined);
    const mode = this.d.venues.modeFor(account);
    const exchange = this.d.venues.exchangeFor(account);
    const snap = await this.snapshot(account);
    if (snap.inFlight > 0) {
      throw Object.assign(new Error(`${snap.inFlight} order(s) of account ${account} are in flight: accept the balances once they are settled.`), {
        code: 'unsettled',
      });
    }
    const baseline = takeBaseline(snap.balances, snap.positions, snap.ledger, this.d.now());
    this.d.journal.baselines.set(account, mode, exchange, baseline);
    this.d.logger.warn({ account, exchange, baseline: baseline.balances }, `reconciliation baseline of account ${account} accepted by hand`);
    return this.run(account, 'manual');
  }

  private async reconcile(account: string, trigger: Trigger): Promise<ReconciliationDto> {
    const mode = this.d.venues.modeFor(account);
    const exchange = this.d.venues.exchangeFor(account);
    const base: Omit<ReconciliationDto, 'status' | 'message' | 'assets' | 'openOrders' | 'baselineAt'> = { account, mode, exchange, trigger, checkedAt: this.d.now() };
    let result: ReconciliationDto;
    try {
      const snap = await this.snapshot(account);
      const j = this.d.journal;
      let baseline = j.baselines.get(account, mode, exchange);
      let first = false;
      if (!baseline && snap.inFlight === 0) {
        // First sight of this account: whatever it holds beyond our ledger is its own.
        baseline = takeBaseline(snap.balances, snap.positions, snap.ledger, this.d.now());
        j.baselines.set(account, mode, exchange, baseline);
        first = true;
      }
      const venue = await this.d.venues.venueFor(account);
      const symbols = new Set([...(snap.positions ?? []).map((p) => p.symbol), ...[...Object.keys(snap.ledger.positions), ...Object.keys(baseline?.positions ?? {})].map(symbolOfKey)]);
      const quote = (symbol: string) => venue.market(symbol)?.quote ?? quoteOf(symbol);
      const assets = new Set([...Object.keys(snap.balances), ...Object.keys(snap.ledger.balances), ...[...symbols].map(quote)]);
      const rates = await loadRates(assets, j, venue).catch(() => new Map<string, number | null>());
      // Contracts are valued like coins, so a position drift is measured against the USD tolerance too.
      const contractUsd = (key: string): number | null => {
        const symbol = symbolOfKey(key);
        const m = venue.market(symbol);
        const rate = rates.get(quote(symbol)) ?? null;
        if (rate === null) return null;
        if (m && m.settle === m.base) return (m.contractSize ?? 1) * rate; // inverse: a contract is a fixed quote amount
        const mark = snap.positions?.find((p) => p.symbol === symbol)?.markPrice ?? lastPrice(j, symbol);
        return mark ? mark * (m?.contractSize ?? 1) * rate : null;
      };
      const rows = compare(
        snap.balances,
        snap.positions,
        snap.ledger,
        baseline ?? { takenAt: 0, balances: {}, positions: {} },
        (a) => rates.get(a) ?? null,
        { value: this.d.settings.reconciliation.toleranceValue, pct: this.d.settings.reconciliation.tolerancePct },
        contractUsd,
      );
      const drifts = rows.filter((r) => r.drift);
      const notes: string[] = [];
      if (snap.positions === null && Object.keys(snap.ledger.positions).length > 0) notes.push(`positions not compared: ${exchange} cannot list them`);
      let status: ReconciliationDto['status'];
      let message: string;
      if (!baseline) {
        status = 'unsettled';
        message = `${snap.inFlight} order(s) in flight: the baseline is taken once they are settled`;
      } else if (drifts.length === 0) {
        status = 'ok';
        message = first ? `baseline taken: what ${exchange} holds beyond Pinebridge's trades counts as held outside it` : `the ledger matches ${exchange}`;
      } else if (snap.inFlight > 0) {
        status = 'unsettled';
        message = `${drifts.length} difference(s) while ${snap.inFlight} order(s) are in flight: ${drifts.map(describeDrift).join('; ')}`;
      } else {
        status = 'drift';
        message = `${drifts.length} difference(s) between the ledger and ${exchange}: ${drifts.map(describeDrift).join('; ')}. Nothing was traded; check for manual trades, deposits or withdrawals, then accept the balances or fix the cause.`;
      }
      if (notes.length) message += ` (${notes.join('; ')})`;
      result = { ...base, status, message, assets: rows, openOrders: snap.openOrders, baselineAt: baseline?.takenAt ?? null };
    } catch (e) {
      const msg = (e as Error)?.message ?? String(e);
      result = { ...base, status: 'error', message: `could not reconcile: ${msg}`, assets: [], openOrders: 0, baselineAt: null };
    }
    this.publish(result);
    if (result.status === 'unsettled') this.retrySoon(account, trigger);
    return result;
  }

  /** Orders in flight made a run inconclusive: look again in a few seconds, not a whole period later. */
  private retrySoon(account: string, trigger: Trigger): void {
    if (this.stopped || this.retries.has(account)) return;
    const t = setTimeout(() => {
      this.retries.delete(account);
      if (!this.stopped) void this.run(account, trigger);
    }, RETRY_UNSETTLED_MS);
    t.unref();
    this.retries.set(account, t);
  }

  private async snapshot(account: string): Promise<Snapshot> {
    const venue = await this.d.venues.venueFor(account);
    await venue.loadMarkets();
    for (let attempt = 0; ; attempt++) {
      const before = this.ledger(account);
      const balances = await venue.fetchBalance();
      const tradesContracts = Object.keys(before.net.positions).length > 0;
      const wantsPositions = tradesContracts || venue.markets().some((m) => m.contract && m.active);
      const positions =
        venue.fetchPositions && wantsPositions
          ? await venue.fetchPositions().catch((e: unknown) => {
              // Only an exchange that cannot list positions at all leaves them out (noted in the
              // message); a failed listing where Pinebridge trades contracts is no match: an error.
              if (tradesContracts && !(e instanceof VenueError && e.code === 'NotSupported')) throw e;
              return null;
            })
          : null;
      const after = this.ledger(account);
      // A fill recorded meanwhile: the two sides are from different moments, look again.
      if (after.fills === before.fills || attempt >= 2) {
        const counts = this.d.journal.db
          .prepare(
            // Only the unfinished intents (the status index), not every intent of the account. An
            // open market order is in flight too: accepted (some exchanges answer an id only, Bybit),
            // filled there, its fill not read yet; a baseline then would count it as held outside.
            `SELECT sum(CASE WHEN status <> 'open' OR type = 'market' THEN 1 ELSE 0 END) AS inflight,
                    sum(CASE WHEN status = 'open' AND type <> 'market' THEN 1 ELSE 0 END) AS open FROM order_intents
             WHERE status IN ('pending', 'sending', 'unknown', 'open') AND account = ? AND mode = ? AND exchange = ?`,
          )
          .get(account, this.d.venues.modeFor(account), this.d.venues.exchangeFor(account)) as { inflight: number | null; open: number | null };
        return { ledger: after.net, balances, positions, inFlight: counts.inflight ?? 0, openOrders: counts.open ?? 0 };
      }
    }
  }

  private ledger(account: string): { net: LedgerNet; fills: number } {
    const rows = this.d.journal.db
      .prepare(
        // fill_totals: the fills' sums kept by the journal on each fill (a few rows, not every fill).
        `SELECT symbol, position_side AS positionSide, side, nullif(fee_currency, '') AS feeCurrency, amount, cost, fee, realized, fills AS n
         FROM fill_totals WHERE account = ? AND mode = ? AND exchange = ? AND fills > 0`,
      )
      .all(account, this.d.venues.modeFor(account), this.d.venues.exchangeFor(account)) as (FillGroup & { n: number })[];
    return { net: ledgerNet(rows), fills: rows.reduce((s, r) => s + r.n, 0) };
  }

  private publish(r: ReconciliationDto): void {
    const key = r.account;
    const prev = this.last.get(key);
    this.last.set(key, r);
    const sig = (x: ReconciliationDto | undefined) => (x ? `${x.status}|${x.assets.filter((a: ReconAssetDto) => a.drift).map((a) => `${a.asset}:${a.difference}`).join(',')}` : '');
    const changed = sig(prev) !== sig(r);
    if (!changed) return;
    const noteworthy = r.status === 'drift' || r.status === 'error' || prev?.status === 'drift';
    if (r.status === 'drift') this.d.logger.error({ account: r.account, exchange: r.exchange }, `reconciliation: ${r.message}`);
    else if (r.status === 'error') this.d.logger.warn({ account: r.account }, `reconciliation: ${r.message}`);
    else this.d.logger.info({ account: r.account, status: r.status }, `reconciliation: ${r.message}`);
    if (!noteworthy && prev === undefined && r.status === 'ok') {
      // The first clean result is state, not news.
      this.d.events.emit({ type: 'reconciliation', reconciliation: r });
      return;
    }
    try {
      this.d.journal.events.append(r.checkedAt, 'reconciliation', r.status === 'drift' ? 'error' : 'info', { type: 'reconciliation', reconciliation: r });
    } catch {
      // The journal is closing.
    }
    this.d.events.emit({ type: 'reconciliation', reconciliation: r });
  }
}
