/**
 * The execution worker: takes accepted alerts from the journal in order (per account + market,
 * in parallel across markets) and turns them into orders. On one market a fixed-size market
 * order is sent as soon as its intent is durable, without waiting for the answers to the orders
 * before it (see pipelining.ts); any other alert waits until those are answered and recorded.
 *
 * Start: first every intent left in flight (a crash or lost answer) is resolved by asking the
 * exchange for its clientOrderId, then the journal's pending alerts run in order (read a page at
 * a time until none is left, however many a crash left queued), then new ones as intake records
 * them. Every 30 s intents still unknown are checked again; resting
 * orders are checked for fills every `pollIntervalSec` (live/testnet).
 */
import type { AlertDetailDto } from '../../../shared/dto/alerts.js';
import { IN_FLIGHT } from '../journal/intents.js';
import { isDiskError } from '../core/disk-guard.js';
import type { Signal } from '../signals/signal.js';
import { processAlert } from './alert-processor.js';
import { afterOrder } from './after-order.js';
import { heldBack } from './oco-ladder.js';
import { failUnplanned, followLadders, pollOpenOrders } from './worker-passes.js';
import { accountFor, executes, type ExecDeps } from './exec-deps.js';
import { KeyedQueue } from './keyed-queue.js';
import { sendIntent } from './order-sender.js';
import { DeadManSwitch } from './dead-man.js';
import { canPipeline } from './pipelining.js';
import { mapSymbol } from '../market/symbols.js';
import { isLeaseLost } from '../journal/leases.js';

const RECOVERY_INTERVAL_MS = 30_000;
/** Pending alerts read from the journal at a time while catching up after a start. */
const BACKLOG_PAGE = 500;
/** Alerts handed to the per-market queue ahead of execution: a backlog is not all read into memory at once. */
const MAX_QUEUED = 1000;
/** How often alerts held up by a failing disk are tried again (also at once when the disk recovers). */
const STALL_RETRY_MS = 2000;
/**
 * Execution yields the event loop to the webhook after this much dispatching in one turn: under a
 * burst the intake's new requests (parsing, the durable insert, the answer) are taken between
 * alerts instead of waiting behind the whole queue's planning and paper fills.
 */
const YIELD_AFTER_MS = 2;
/** The safety net takes only alerts at least this old (a younger one may await its fsync). */
const SWEEP_MIN_AGE_MS = 2000;
/** Several nodes: how often the executor reads the alerts other nodes took, and sweeps for late commits. */
const SHARED_POLL_MS = 100;
const SHARED_SWEEP_MS = 2000;

export class ExecutionWorker {
  private readonly queue: KeyedQueue;
  private readonly deadMan: DeadManSwitch;
  private readonly waiting: string[] = [];
  private readonly queued = new Set<string>();
  private dispatching: Promise<void> = Promise.resolve();
  private scheduled = false;
  /** Alerts read while dispatching, handed to their task (read once). */
  private readonly read = new Map<string, AlertDetailDto>();
  private ready = false;
  private stopped = false;
  private timers: NodeJS.Timeout[] = [];
  private readonly busyKeys = new Set<string>();
  /**
   * While not null, the journal's pending alerts are still being paged in (from after this seq):
   * new alerts are then taken from the journal too, behind the older ones, not from `notify`.
   */
  private backlogAfter: number | null = 0;

  constructor(
    private readonly d: ExecDeps,
    private readonly abortController: AbortController,
  ) {
    this.deadMan = new DeadManSwitch(d);
    this.queue = new KeyedQueue((key, e) => d.logger.error({ key, err: String((e as Error)?.stack ?? e) }, 'execution task failed'));
    d.ownDelay = (id) => {
      const since = this.stalled.get(id);
      return since === undefined
        ? null
        : `it waited from ${new Date(since).toISOString()} because Pinebridge could not write its journal (disk full or failing): the delay is Pinebridge's, not TradingView's`;
    };
    d.disk?.onRecovered(() => this.resumeStalled());
  }

  /** Alerts whose journal writes failed (disk full): id -> when they first had to wait. */
  private readonly stalled = new Map<string, number>();
  private stallTimer: NodeJS.Timeout | null = null;

  /**
   * An alert's journal write failed because of the disk: nothing it did is lost (each step is
   * journaled before the next, and an order sent is found again by its clientOrderId), so it is
   * simply run again once the disk takes writes, or every few seconds until it does.
   */
  private stall(id: string, e: unknown): void {
    this.d.disk?.writeFailed(e);
    if (!this.stalled.has(id)) {
      this.stalled.set(id, this.d.now());
      this.d.logger.warn({ alertId: id, err: String((e as Error)?.message ?? e) }, 'alert waits: its journal write failed (disk full or failing); it resumes by itself once the disk takes writes');
    }
    this.retryStalledSoon();
  }

  private retryStalledSoon(): void {
    if (!this.stallTimer && !this.stopped) {
      this.stallTimer = setTimeout(() => this.resumeStalled(), STALL_RETRY_MS);
      this.stallTimer.unref();
    }
  }

  private resumeStalled(): void {
    if (this.stallTimer) clearTimeout(this.stallTimer);
    this.stallTimer = null;
    if (this.stopped) return;
    for (const id of this.stalled.keys()) this.enqueueId(id);
    if (this.sweepPending()) this.retryStalledSoon();
    if (this.ready) this.schedule();
    if (this.stalled.size === 0) return;
    // Orders left in flight by a failed write are resolved by clientOrderId, as after a crash.
    void this.recover().catch((e: unknown) => this.d.logger.warn({ err: String(e) }, 'checking orders in flight failed'));
  }

  /** Whether this node may execute: always on one node; with several, while it holds some account's executor lease. */
  private mayExecute(): boolean {
    return !this.d.executor || this.d.executor.holds();
  }

  /** The highest alert seq read from the journal so far (several nodes: where the next read starts). */
  private seenSeq = 0;

  /**
   * This node has just become the executor (several nodes): every order the last one left in
   * flight is resolved by its clientOrderId, as after a crash, then the pending alerts are taken.
   * Per account: only the in-flight orders of the accounts it has just taken (all, without them).
   */
  takeOver(accounts?: string[]): void {
    if (this.stopped || !this.ready) return;
    this.backlogAfter = 0;
    void this.recover(accounts ? new Set(accounts) : undefined)
      .then(() => this.schedule())
      .catch((e: unknown) => this.d.logger.warn({ err: String(e) }, 'taking over: checking orders in flight failed; tried again shortly'));
  }

  /** Several nodes: the alerts the other nodes journaled since the last read (and, now and then, any that committed late). */
  private pollShared(sweep: boolean): void {
    if (!this.mayExecute() || this.stopped) return;
    if (sweep) this.sweepPending();
    else if (this.backlogAfter === null) this.backlogAfter = this.seenSeq;
    this.schedule();
  }

  /** Recovers in-flight intents, then takes the journal's pending alerts. Resolves once recovery is done. */
  async start(): Promise<void> {
    await this.recover();
    if (this.stopped) return;
    this.ready = true;
    this.schedule();
    if (this.d.executor) {
      this.timers.push(setInterval(() => this.pollShared(false), SHARED_POLL_MS));
      this.timers.push(setInterval(() => this.pollShared(true), SHARED_SWEEP_MS));
    }
    this.timers.push(setInterval(() => void this.recover().catch(() => undefined), RECOVERY_INTERVAL_MS));
    // Always scheduled: the mode can be switched while running (paper's fills come with alert prices).
    this.timers.push(
      setInterval(() => {
        // A journal that cannot be read now (PostgreSQL unreachable) must not take the process down.
        try {
          this.poll();
        } catch (e) {
          this.d.logger.warn({ err: String(e) }, 'polling open orders failed; tried again on the next pass');
        }
      }, this.d.settings.execution.pollIntervalSec * 1000),
    );
    for (const t of this.timers) t.unref();
    if (this.d.settings.deadManSwitch.enabled) this.deadMan.start();
  }

  /** Intake recorded an accepted alert. Cheap: the webhook's answer never waits for execution. */
  notify(alertId: string): void {
    // A standby leaves it to the executor, which reads it from the shared journal.
    if (this.stopped || !this.mayExecute()) return;
    // During the backlog the alert is read from the journal in its turn.
    if (this.backlogAfter === null) this.enqueueId(alertId);
    if (this.ready) this.schedule();
  }

  /** Resolves when nothing is queued or running (tests, graceful stop). */
  async idle(): Promise<void> {
    for (;;) {
      await this.dispatching;
      await this.queue.idle();
      if (this.waiting.length === 0 && this.queue.size === 0 && !(this.ready && this.backlogAfter !== null)) return;
      await new Promise((r) => setImmediate(r));
    }
  }

  /** Stops taking work, lets what is in flight settle for up to `graceMs`, closes the venues. */
  async stop(graceMs: number): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    const deadMan = this.deadMan.stop();
    if (this.stallTimer) clearTimeout(this.stallTimer);
    this.waiting.length = 0;
    this.backlogAfter = null;
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((r) => (timer = setTimeout(r, graceMs)));
    // Anything waiting to retry gives up now; a request already on the wire gets the grace period.
    this.abortController.abort();
    await Promise.race([this.queue.idle(), grace]);
    clearTimeout(timer);
    // The countdowns are stopped before the venues close (a planned stop cancels nothing), within a bound.
    await Promise.race([deadMan, new Promise((r) => setTimeout(r, Math.max(graceMs, 2000)).unref())]);
    await this.d.venues.closeAll();
  }

  /**
   * A safety net after a failing disk: every alert the journal still has pending that no queue
   * holds is taken again, so an acknowledged alert always runs. Only alerts received a while ago:
   * a younger one may still be waiting for its batch's fsync (and its answer).
   */
  /** Returns true when some pending alert was left for later (too young, or the read failed). */
  private sweepPending(): boolean {
    if (this.backlogAfter !== null) return false;
    const before = this.d.now() - SWEEP_MIN_AGE_MS;
    let young = false;
    try {
      for (let after = 0; ; ) {
        const page = this.d.journal().alerts.pendingPage(after, BACKLOG_PAGE);
        if (page.length === 0) break;
        for (const a of page) {
          if (a.receivedAt < before) this.enqueueId(a.id);
          else if (!this.queued.has(a.id)) young = true;
        }
        after = page[page.length - 1]!.seq;
      }
    } catch (e) {
      this.d.logger.warn({ err: String(e) }, 'could not read the pending alerts; trying again shortly');
      return true;
    }
    return young;
  }

  private enqueueId(id: string): void {
    if (this.queued.has(id)) return;
    this.queued.add(id);
    this.waiting.push(id);
  }

  /** Takes the next page of the journal's pending alerts; none left: new alerts come from `notify`. */
  private readBacklog(): void {
    if (this.backlogAfter === null) return;
    const page = this.d.journal().alerts.pendingPage(this.backlogAfter, BACKLOG_PAGE);
    if (page.length === 0) {
      this.backlogAfter = null;
      return;
    }
    this.backlogAfter = page[page.length - 1]!.seq;
    this.seenSeq = Math.max(this.seenSeq, this.backlogAfter);
    for (const a of page) this.enqueueId(a.id);
  }

  private schedule(): void {
    if (!this.mayExecute()) return;
    if ((this.waiting.length === 0 && this.backlogAfter === null) || this.scheduled) return;
    this.scheduled = true;
    // setImmediate, not a microtask: the webhook's answers of this commit are written first.
    // In order: each alert's key needs the venue's markets, which may still be loading.
    this.dispatching = this.dispatching.then(() => new Promise<void>((resolve) => setImmediate(resolve))).then(async () => {
      this.scheduled = false;
      let turn = performance.now();
      while (!this.stopped && this.mayExecute()) {
        if (performance.now() - turn > YIELD_AFTER_MS) {
          await new Promise((r) => setImmediate(r));
          turn = performance.now();
        }
        if (this.waiting.length === 0) this.readBacklog();
        if (this.waiting.length === 0) break;
        if (this.queue.size >= MAX_QUEUED) {
          await this.queue.settled();
          continue;
        }
        const id = this.waiting.shift() as string;
        let routed: { key: string; pipelined: boolean; account: string };
        try {
          routed = await this.keyFor(id);
        } catch (e) {
          // Reading the alert failed (a full disk can fail even a read in WAL mode): it waits
          // like any other step, and the loop goes on with the next alert.
          this.queued.delete(id);
          this.read.delete(id);
          if (isDiskError(e)) this.stall(id, e);
          else failUnplanned(this.d, id, e);
          continue;
        }
        const { key, pipelined } = routed;
        if (!executes(this.d, routed.account)) {
          // Another node executes this account: it reads the alert from the shared journal.
          this.queued.delete(id);
          this.read.delete(id);
          continue;
        }
        if (!pipelined) {
          void this.queue.run(key, () => this.execute(id));
          continue;
        }
        // The market's next alert starts once this one's order request is out (or it is done).
        void this.queue.run(
          key,
          async () => {
            let sent!: () => void;
            const out = new Promise<void>((resolve) => (sent = resolve));
            const work = this.execute(id, sent);
            this.queue.detach(key, work);
            await Promise.race([out, work]);
          },
          { pipelined: true },
        );
      }
    });
    // A failure here must not leave the chain rejected: every later schedule() would then be skipped.
    this.dispatching = this.dispatching.catch((e: unknown) => {
      this.scheduled = false;
      this.d.logger.error({ err: String((e as Error)?.stack ?? e) }, 'dispatching alerts failed; retrying');
      if (!this.stopped) setTimeout(() => this.schedule(), STALL_RETRY_MS).unref();
    });
  }

  private async execute(id: string, onSent?: () => void): Promise<void> {
    const alert = this.read.get(id);
    this.read.delete(id);
    try {
      await processAlert(this.d, id, alert, onSent);
      this.stalled.delete(id);
    } catch (e) {
      if (isLeaseLost(e)) this.d.logger.warn({ alertId: id }, `${e.message}: the alert is left to the executing node`);
      else if (isDiskError(e)) this.stall(id, e);
      else {
        this.stalled.delete(id);
        failUnplanned(this.d, id, e);
      }
    } finally {
      this.queued.delete(id);
    }
  }

  /** The alert's queue (account + market), and whether its order may go out behind unanswered ones. */
  private async keyFor(alertId: string): Promise<{ key: string; pipelined: boolean; account: string }> {
    const alert = this.d.journal().alerts.get(alertId);
    const signal = alert?.signal as Signal | undefined;
    // Without a signal the alert is failed by its processing: whichever node executes the default account.
    if (!alert || !signal) return { key: `?|${alertId}`, pipelined: false, account: this.d.settings.execution.account };
    this.read.set(alertId, alert);
    const account = accountFor(signal, this.d.settings);
    if (!executes(this.d, account)) return { key: `${account}|${signal.symbol}`, pipelined: false, account };
    try {
      const venue = await this.d.venues.venueFor(account);
      await venue.loadMarkets();
      const m = mapSymbol(signal.symbol, venue);
      if (!m.ok) return { key: `${account}|${signal.symbol}`, pipelined: false, account };
      return { key: `${account}|${m.market.symbol}`, pipelined: canPipeline(signal, m.market), account };
    } catch {
      return { key: `${account}|${signal.symbol}`, pipelined: false, account };
    }
  }

  /**
   * Resolves every in-flight intent of each account this node executes (in its own mode; `only`:
   * of those accounts alone): its alert is finished, or the intent alone is.
   */
  private async recover(only?: Set<string>): Promise<void> {
    if (!this.mayExecute()) return;
    const j = this.d.journal();
    const v = this.d.venues;
    const mine = (account: string) => executes(this.d, account) && (!only || only.has(account));
    // Each account's intents in the mode and on the exchange it trades on now (accounts may name their own).
    const inflight = v.targets().flatMap((t) => j.intents.inFlight(t.mode, t.exchange).filter((i) => v.tradesOn(i.account, t.mode, t.exchange) && mine(i.account)));
    const runs: Promise<void>[] = [];
    const seen = new Set<string>();
    for (const i of inflight) {
      if (seen.has(i.alertId) || this.queued.has(i.alertId)) continue;
      seen.add(i.alertId);
      const key = `${i.account}|${i.symbol}`;
      runs.push(
        this.queue.run(key, async () => {
          const alert = j.alerts.get(i.alertId);
          if (alert && (alert.status === 'accepted' || alert.status === 'executing')) return processAlert(this.d, i.alertId);
          // A protective order placed after its alert finished (a limit entry that filled later).
          const venue = await this.d.venues.venueFor(i.account);
          await venue.loadMarkets();
          for (const p of j.intents.forAlert(i.alertId)) {
            // A replacement waits for the ladder's own step (followLadders, below), which removes what it replaces first.
            if (!IN_FLIGHT.includes(p.status) || heldBack(p)) continue;
            const out = await sendIntent(this.d, venue, p, null);
            if (out.kind === 'placed') await afterOrder(this.d, venue, out.recorded);
          }
        }),
      );
    }
    if (runs.length) this.d.logger.info({ intents: inflight.length }, `checking ${inflight.length} order(s) left in flight`);
    await Promise.all(runs);
    await followLadders(this.d, this.queue);
  }

  private poll(): void {
    if (!this.mayExecute()) return;
    pollOpenOrders(this.d, this.queue, this.busyKeys);
  }
}
