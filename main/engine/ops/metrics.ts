/**
 * Prometheus metrics for `GET /metrics` on the control listener, with prom-client on a registry
 * of our own (never the global one: a test process may run several engines).
 *
 * Fed three ways: the webhook app's `onAnswer` hook (alerts and ack latency), journal queries at
 * scrape time (orders by status, signal-to-order latency, journal size), and small setters other
 * parts call (`setBreaker`, `setTunnelSource`, `observeSignalToOrder`).
 */
import { statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Db } from '../journal/database.js';
import type { TunnelState, TunnelStatus } from '../core/ports.js';
import type { Readiness } from './readiness.js';
import { SignalToOrderFeed } from './signal-to-order-feed.js';

export interface MetricsDeps {
  /** The open journal, or null while closed. */
  db: () => Db | null;
  journalPath: string;
  readiness: Readiness;
  version: string;
  mode: string;
  now?: () => number;
}

export type BreakerState = 'closed' | 'open' | 'half-open';

const TUNNEL_STATES: (TunnelState | 'disabled')[] = ['starting', 'online', 'degraded', 'offline', 'stopped', 'disabled'];
/** Webhook answers that are not alerts: health checks and paths that are not /webhook. */
const NOT_ALERTS = new Set(['health', 'not_found']);
const ALERT_OUTCOMES = new Set(['accepted', 'duplicate']);

export class EngineMetrics {
  readonly registry = new Registry();
  private readonly received: Counter;
  private readonly accepted: Counter;
  private readonly duplicates: Counter;
  private readonly rejected: Counter<'reason'>;
  private readonly ackLatency: Histogram;
  private readonly signalToOrder: Histogram;
  private readonly breakerOpen: Gauge<'account' | 'state'>;
  private readonly failover: Gauge;
  private readonly feed: SignalToOrderFeed;
  private tunnelSource: (() => TunnelStatus | null) | null = null;
  private hookFed = false;

  constructor(private readonly deps: MetricsDeps) {
    const registers = [this.registry];
    const reg = this.registry;
    collectDefaultMetrics({ register: reg });
    this.feed = new SignalToOrderFeed(deps.now ?? (() => Date.now()));

    new Gauge({
      name: 'pinebridge_build_info',
      help: 'Pinebridge version and trading mode (always 1).',
      labelNames: ['version', 'mode'],
      registers,
    }).set({ version: deps.version, mode: deps.mode }, 1);

    this.failover = new Gauge({
      name: 'pinebridge_failover_seconds',
      help: "Several nodes: how long this node's last take-over of the executor lease waited after the previous executor's last renewal.",
      registers,
    });
    this.received = new Counter({ name: 'pinebridge_alerts_received_total', help: 'Webhook requests to /webhook answered.', registers });
    this.accepted = new Counter({ name: 'pinebridge_alerts_accepted_total', help: 'Alerts journaled and accepted for execution.', registers });
    this.duplicates = new Counter({ name: 'pinebridge_alerts_duplicate_total', help: 'Repeated alerts answered with the first id, not executed again.', registers });
    this.rejected = new Counter({
      name: 'pinebridge_alerts_rejected_total',
      help: 'Webhook requests refused, by reason code (bad_secret, invalid_quantity, rate_limited, shutting_down…).',
      labelNames: ['reason'],
      registers,
    });
    this.ackLatency = new Histogram({
      name: 'pinebridge_ack_latency_seconds',
      help: 'Time from a webhook request arriving to its answer (alert durably journaled).',
      buckets: [0.0005, 0.001, 0.002, 0.003, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 3],
      registers,
    });
    this.signalToOrder = new Histogram({
      name: 'pinebridge_signal_to_order_seconds',
      help: 'Time from an alert arriving to its order being sent to the venue.',
      buckets: [0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
      collect: () => {
        if (this.hookFed) return;
        const db = this.deps.db();
        if (db) for (const s of this.feed.poll(db)) this.signalToOrder.observe(s);
      },
    });
    new Gauge({
      name: 'pinebridge_orders',
      help: 'Order intents in the journal by status (submitted, filled, rejected, failed…).',
      labelNames: ['status'],
      registers,
      collect() {
        this.reset();
        const db = deps.db();
        if (!db) return;
        const rows = db.prepare(`SELECT status, count(*) AS n FROM order_intents GROUP BY status`).all() as { status: string; n: number }[];
        for (const r of rows) this.set({ status: r.status }, r.n);
      },
    });
    new Gauge({
      name: 'pinebridge_fills',
      help: 'Fills in the journal.',
      registers,
      collect() {
        const db = deps.db();
        if (db) this.set((db.prepare(`SELECT count(*) AS n FROM fills`).get() as { n: number }).n);
      },
    });
    this.breakerOpen = new Gauge({
      name: 'pinebridge_breaker_state',
      help: 'Circuit breaker per account: 1 for its current state (closed = trading, open = halted).',
      labelNames: ['account', 'state'],
      registers,
    });
    const tunnelSource = () => this.tunnelSource?.() ?? null;
    new Gauge({
      name: 'pinebridge_tunnel_state',
      help: 'Public tunnel: 1 for its current state (disabled when no tunnel is configured).',
      labelNames: ['provider', 'state'],
      registers,
      collect() {
        this.reset();
        const t = tunnelSource();
        const provider = t?.provider ?? 'none';
        const current = !t || t.provider === 'none' ? 'disabled' : t.state;
        for (const s of TUNNEL_STATES) this.set({ provider, state: s }, s === current ? 1 : 0);
      },
    });
    new Gauge({
      name: 'pinebridge_tunnel_round_trip_seconds',
      help: "Last self-probe round trip through the tunnel's public URL (absent until one succeeded).",
      labelNames: ['provider'],
      registers,
      collect() {
        this.reset();
        const t = tunnelSource();
        if (t && typeof t.lastProbeMs === 'number') this.set({ provider: t.provider }, t.lastProbeMs / 1000);
      },
    });
    new Gauge({
      name: 'pinebridge_journal_size_bytes',
      help: 'Size of the journal on disk (database and write-ahead log).',
      registers,
      collect() {
        this.set(fileSize(deps.journalPath) + fileSize(deps.journalPath + '-wal'));
      },
    });
    new Gauge({
      name: 'pinebridge_ready',
      help: 'Readiness per part (journal, worker, venue): 1 ready, 0 not; part="all" is what /readyz answers.',
      labelNames: ['part'],
      registers,
      collect() {
        this.reset();
        const parts = deps.readiness.snapshot();
        for (const [part, s] of Object.entries(parts)) this.set({ part }, s.ok ? 1 : 0);
        this.set({ part: 'all' }, deps.readiness.problem() === null ? 1 : 0);
      },
    });
  }

  /** The webhook app's `onAnswer` hook. */
  onAnswer(ms: number, outcome: string, _status: number): void {
    if (NOT_ALERTS.has(outcome)) return;
    this.received.inc();
    this.ackLatency.observe(ms / 1000);
    if (outcome === 'accepted') this.accepted.inc();
    else if (outcome === 'duplicate') this.duplicates.inc();
    else if (!ALERT_OUTCOMES.has(outcome)) this.rejected.inc({ reason: outcome });
  }

  /**
   * For the execution worker: one alert's receipt-to-order-sent time, in ms. Once called, the
   * histogram is fed only this way (it is otherwise derived from the journal at scrape time).
   */
  observeSignalToOrder(ms: number): void {
    this.hookFed = true;
    this.signalToOrder.observe(ms / 1000);
  }

  /** For the executor lease: this node took over after `ms` without an executor. */
  observeFailover(ms: number): void {
    this.failover.set(ms / 1000);
  }

  /** For risk: an account's circuit breaker changed state. */
  setBreaker(account: string, state: BreakerState): void {
    for (const s of ['closed', 'open', 'half-open'] as const) this.breakerOpen.set({ account, state: s }, s === state ? 1 : 0);
  }

  /** For the tunnel: where to read its status at scrape time (`() => tunnel.status()`). */
  setTunnelSource(source: (() => TunnelStatus | null) | null): void {
    this.tunnelSource = source;
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  /** A control-server route: `extraRoutes: { '/metrics': metrics.handler }`. */
  readonly handler = async (_req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const { contentType, body } = await this.render();
    res.writeHead(200, { 'Content-Type': contentType, 'Cache-Control': 'no-store' });
    res.end(body);
  };

  /** Call once the journal is open: only orders sent from then on are observed. */
  startFeed(db: Db): void {
    this.feed.start(db);
  }
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
