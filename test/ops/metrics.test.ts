import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, TEST_SECRET, type Harness } from '../support/engine-harness.js';
import { spawnServe, type ServeProcess } from '../support/serve-process.js';
import { tempDir } from '../support/temp-dir.js';
import { alert, metric, post, scrape, SECRET } from './support.js';

describe('GET /metrics on the control listener', () => {
  let server: ServeProcess | null = null;
  let h: Harness | null = null;
  const dirs: { cleanup: () => void }[] = [];
  afterEach(async () => {
    await server?.kill9();
    await h?.close();
    server = null;
    h = null;
    dirs.splice(0).forEach((d) => d.cleanup());
  });

  it('needs the control token, and its counters move with real webhook traffic', async () => {
    const dir = tempDir();
    dirs.push(dir);
    server = await spawnServe({ dataDir: dir.path, env: { PINEBRIDGE_WEBHOOK_SECRET: SECRET } });

    const anonymous = await fetch(new URL('/metrics', server.controlUrl));
    expect(anonymous.status).toBe(401);

    const before = await scrape(server.controlUrl, server.tokenFile);
    expect(metric(before, 'pinebridge_alerts_received_total')).toBe(0);
    expect(before).toContain('# TYPE pinebridge_ack_latency_seconds histogram');

    const answers = await Promise.all([
      ...Array.from({ length: 12 }, (_, i) => post(server!.webhookUrl, alert({ id: `m-${i}` }))),
      ...Array.from({ length: 3 }, () => post(server!.webhookUrl, alert({ secret: 'wrong-secret-123' }))),
      ...Array.from({ length: 2 }, () => post(server!.webhookUrl, alert({ quantity: '-1' }))),
    ]);
    // Repeats of an accepted alert: duplicates.
    answers.push(await post(server.webhookUrl, alert({ id: 'm-0' })), await post(server.webhookUrl, alert({ id: 'm-1' })));
    // Health checks and stray paths are not alerts.
    await fetch(server.baseUrl + '/healthz');
    await fetch(server.baseUrl + '/readyz');
    await fetch(server.baseUrl + '/wp-login.php');
    expect(answers.filter((a) => a.body.status === 'accepted')).toHaveLength(12);

    const after = await scrape(server.controlUrl, server.tokenFile);
    expect(metric(after, 'pinebridge_alerts_received_total')).toBe(19);
    expect(metric(after, 'pinebridge_alerts_accepted_total')).toBe(12);
    expect(metric(after, 'pinebridge_alerts_duplicate_total')).toBe(2);
    expect(metric(after, 'pinebridge_alerts_rejected_total', { reason: 'bad_secret' })).toBe(3);
    expect(metric(after, 'pinebridge_alerts_rejected_total', { reason: 'invalid_quantity' })).toBe(2);
    expect(metric(after, 'pinebridge_ack_latency_seconds_count')).toBe(19);
    expect(metric(after, 'pinebridge_ack_latency_seconds_bucket', { le: '+Inf' })).toBe(19);
    expect(metric(after, 'pinebridge_journal_size_bytes')).toBeGreaterThan(0);
    expect(metric(after, 'pinebridge_ready', { part: 'journal' })).toBe(1);
    expect(metric(after, 'pinebridge_tunnel_state', { provider: 'none', state: 'disabled' })).toBe(1);
    expect(after).toMatch(/^pinebridge_build_info\{version="[^"]+",mode="paper"\} 1$/m);
    expect(after).toContain('process_resident_memory_bytes');
  });

  it('reads orders by status and signal-to-order times from the journal, and takes breaker and tunnel state from hooks', async () => {
    h = await startHarness({ webhookSecret: TEST_SECRET });
    const db = h.engine.journal().db;
    const metrics = () => h!.engine.metrics.render().then((r) => r.body);
    const now = Date.now();
    db.prepare(
      `INSERT INTO alerts (id, received_at, source, strategy, action, symbol, body, status, http_status, updated_at)
       VALUES (?, ?, 'test', 's1', 'buy', 'BTC/USDT', '{}', 'executed', 200, ?)`,
    ).run('ALERT1', now, now);
    const intent = db.prepare(
      `INSERT INTO order_intents (client_order_id, alert_id, leg, account, mode, exchange, strategy, symbol, side, type, amount,
         status, created_at, sent_at, updated_at)
       VALUES (?, 'ALERT1', ?, 'main', 'paper', 'paper', 's1', 'BTC/USDT', 'buy', 'market', 0.01, ?, ?, ?, ?)`,
    );
    intent.run('pb-1-0', 0, 'filled', now, now + 7, now + 7);
    intent.run('pb-1-1', 1, 'rejected', now, now + 12, now + 12);
    intent.run('pb-1-2', 2, 'pending', now, null, now);

    const first = await metrics();
    expect(metric(first, 'pinebridge_orders', { status: 'filled' })).toBe(1);
    expect(metric(first, 'pinebridge_orders', { status: 'rejected' })).toBe(1);
    expect(metric(first, 'pinebridge_orders', { status: 'pending' })).toBe(1);
    expect(metric(first, 'pinebridge_signal_to_order_seconds_count')).toBe(2);
    expect(metric(first, 'pinebridge_signal_to_order_seconds_sum')).toBeCloseTo(0.019, 9);
    expect(metric(first, 'pinebridge_signal_to_order_seconds_bucket', { le: '0.01' })).toBe(1);

    // The pending one is sent later: observed once, on the next scrape; nothing is counted twice.
    db.prepare(`UPDATE order_intents SET status = 'filled', sent_at = ? WHERE client_order_id = 'pb-1-2'`).run(now + 30);
    const second = await metrics();
    expect(metric(second, 'pinebridge_signal_to_order_seconds_count')).toBe(3);
    expect(metric(second, 'pinebridge_signal_to_order_seconds_sum')).toBeCloseTo(0.049, 9);
    expect(metric(second, 'pinebridge_orders', { status: 'filled' })).toBe(2);
    expect(metric(second, 'pinebridge_orders', { status: 'pending' })).toBeNull();
    expect(metric(await metrics(), 'pinebridge_signal_to_order_seconds_count')).toBe(3);

    h.engine.metrics.setBreaker('main', 'open');
    h.engine.metrics.setTunnelSource(() => ({
      provider: 'localtunnel',
      state: 'online',
      publicUrl: 'https://x.example',
      lastProbeMs: 42,
      lastProbeAt: now,
      lastError: null,
    }));
    const third = await metrics();
    expect(metric(third, 'pinebridge_breaker_state', { account: 'main', state: 'open' })).toBe(1);
    expect(metric(third, 'pinebridge_breaker_state', { account: 'main', state: 'closed' })).toBe(0);
    expect(metric(third, 'pinebridge_tunnel_state', { provider: 'localtunnel', state: 'online' })).toBe(1);
    expect(metric(third, 'pinebridge_tunnel_state', { provider: 'localtunnel', state: 'offline' })).toBe(0);
    expect(metric(third, 'pinebridge_tunnel_round_trip_seconds', { provider: 'localtunnel' })).toBe(0.042);
  });

  it("takes signal-to-order times from the execution's order.sent events and the breaker from status events", async () => {
    const harness = await startHarness({ webhookSecret: TEST_SECRET });
    h = harness;
    const emit = (e: unknown) => harness.engine.events.emit(e as Parameters<typeof harness.engine.events.emit>[0]);
    emit({ type: 'order.sent', order: {}, signalToOrderMs: 1.5 });
    emit({ type: 'order.sent', order: {}, signalToOrderMs: null });
    emit({ type: 'status', status: { breaker: { state: 'half-open', failures: 3, reason: 'x', reopensAt: null } } });
    const text = (await harness.engine.metrics.render()).body;
    expect(metric(text, 'pinebridge_signal_to_order_seconds_count')).toBe(1);
    expect(metric(text, 'pinebridge_signal_to_order_seconds_sum')).toBeCloseTo(0.0015, 9);
    expect(metric(text, 'pinebridge_breaker_state', { account: 'default', state: 'half-open' })).toBe(1);
  });
});
