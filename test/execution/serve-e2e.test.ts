import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BalancesDto, PositionDto } from '../../shared/api.js';
import { startExchangeSimulator, type FaultSpec, type Simulator } from '../support/exchange-simulator/index.js';
import { spawnServe, type ServeProcess } from '../support/serve-process.js';
import { tempDir } from '../support/temp-dir.js';
import { command, eventually, getAlert, listOrders, postAlert, WEBHOOK_SECRET } from './serve-client.js';

/** The acceptance: an alert POSTed to `pinebridge serve` becomes a paper fill, or exactly one exchange order. */
describe('pinebridge serve end to end', () => {
  let child: ServeProcess | null = null;
  let sim: Simulator | null = null;
  let dir = tempDir('pinebridge-e2e-');
  beforeEach(() => {
    dir = tempDir('pinebridge-e2e-');
  });
  afterEach(async () => {
    await child?.stop();
    await sim?.close();
    dir.cleanup();
  });

  const executed = (id: string) =>
    eventually(async () => {
      const a = await getAlert(child!, id);
      return a && a.status !== 'accepted' && a.status !== 'executing' ? a : undefined;
    });

  it('paper mode (the default): the seed alert becomes a paper fill, the ledger and balances follow', async () => {
    // The seed's alert carries a fixed time from 2025: the alert-age limit (and the others) are
    // lifted for it (test/risk covers them; tv-semantics-paper sends it under the defaults).
    writeFileSync(
      join(dir.path, 'settings.json'),
      JSON.stringify({ limits: { maxOrderNotional: null, maxPositionPerSymbol: null, maxTotalExposure: null, maxAlertAgeSec: null } }),
    );
    child = await spawnServe({ dataDir: dir.path, env: { PINEBRIDGE_WEBHOOK_SECRET: WEBHOOK_SECRET } });
    const buy = await postAlert(child, { action: 'buy', symbol: 'BTCUSDT', price: 65000.25, time: '1764064800000' });
    const a = await executed(buy);
    expect(a.status, a.reason ?? '').toBe('executed');
    const [order] = await listOrders(child, buy);
    expect(order).toMatchObject({ mode: 'paper', exchange: 'paper', status: 'filled', side: 'buy', clientOrderId: `pb${buy}-0` });
    // The default strategy's size: 10% of the free USDT (10 000 by default) less the 0.5% buffer.
    expect(order!.amount * 65000.25).toBeCloseTo(995, -1);
    const positions = await command<PositionDto[]>(child, 'getPositions', {});
    expect(positions).toEqual([expect.objectContaining({ strategy: 'default', symbol: 'BTC/USDT', mode: 'paper' })]);
    const balances = await command<BalancesDto>(child, 'getBalances', {});
    expect(balances.balances.find((b) => b.currency === 'BTC')!.free).toBeCloseTo(order!.filled, 10);

    const sell = await postAlert(child, { action: 'sell', symbol: 'BTCUSDT', price: 66000, time: '1764068400000' });
    expect((await executed(sell)).status).toBe('executed');
    expect(await command<PositionDto[]>(child, 'getPositions', {})).toEqual([]);
    console.info(`[signal-to-order, paper via serve] ${order!.sentAt! - a.receivedAt} ms (journal, ms resolution)`);
  });

  it('live mode against the simulator: exactly one exchange order per alert under every fault', async () => {
    sim = await startExchangeSimulator({ balances: { USDT: 1_000_000, BTC: 10 } });
    writeFileSync(
      join(dir.path, 'settings.json'),
      JSON.stringify({ execution: { exchangeTimeoutMs: 300, recvWindowMs: 500, backoffMs: 20, maxBackoffMs: 100 } }),
    );
    child = await spawnServe({
      dataDir: dir.path,
      args: ['--mode', 'live', '--exchange-url', sim.url],
      env: { PINEBRIDGE_API_KEY: sim.apiKey, PINEBRIDGE_API_SECRET: sim.secret, PINEBRIDGE_WEBHOOK_SECRET: WEBHOOK_SECRET },
    });
    const ORDER = { method: 'POST', path: '/api/v3/order' } as const;
    const faults: (FaultSpec | null)[] = [
      null,
      { kind: 'http500', ...ORDER },
      { kind: 'http503', ...ORDER, execute: true },
      { kind: 'http429', ...ORDER },
      { kind: 'drop', ...ORDER },
      { kind: 'drop', ...ORDER, execute: true },
      { kind: 'clockSkew', ...ORDER },
      { kind: 'latency', ...ORDER, ms: 420 },
      { kind: 'acceptThenTimeout', ...ORDER },
    ];
    for (const [n, fault] of faults.entries()) {
      if (fault) sim.injectFault(fault);
      const id = await postAlert(child, { strategy: `e2e-${n}`, action: 'buy', symbol: 'BINANCE:BTCUSDT', quantity: '0.001', price: '65000', id: `e2e-${n}` });
      const a = await executed(id);
      expect(a.status, `${fault?.kind ?? 'no fault'}: ${a.reason}`).toBe('executed');
      expect(sim.ordersByClientId(`pb${id}-0`), fault?.kind ?? 'no fault').toHaveLength(1);
    }
    expect(sim.orders()).toHaveLength(faults.length);
    expect(child.output()).not.toContain(sim.secret);
  });
});
