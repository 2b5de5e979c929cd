/**
 * `pinebridge probe` through the real CLI and the real ccxt classes against the Binance
 * simulator: spot (binance) and USDⓈ-M perpetuals (binanceusdm), every step reported, the orders
 * it placed really there on the exchange while it ran and none left open after; a step the
 * exchange refuses is reported failed and still nothing is left open.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProbeReportDto } from '../../shared/dto/probe.js';
import { startExchangeSimulator, type Simulator } from '../support/exchange-simulator/index.js';
import { BIN } from '../support/serve-process.js';
import { tempDir } from '../support/temp-dir.js';

let sim: Simulator;
const dir = tempDir('pb-probe-');

function probe(args: string[], keys = { key: '', secret: '' }): Promise<{ code: number | null; report: ProbeReportDto; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'probe', '--data-dir', dir.path, '--exchange-url', sim.url, '--json', ...args], {
      env: { ...process.env, PINEBRIDGE_NO_KEYCHAIN: '1', PINEBRIDGE_API_KEY: keys.key || sim.apiKey, PINEBRIDGE_API_SECRET: keys.secret || sim.secret },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('exit', (code) => resolve({ code, report: JSON.parse(stdout || 'null') as ProbeReportDto, stderr }));
  });
}

const statusOf = (r: ProbeReportDto) => Object.fromEntries(r.steps.map((s) => [s.step, s.status]));

beforeAll(async () => {
  sim = await startExchangeSimulator({ prices: { BTCUSDT: 65_000 }, balances: { USDT: 10_000, BTC: 1 }, futures: { balances: { USDT: 5_000 } } });
});
afterAll(async () => {
  await sim?.close();
  dir.cleanup();
});

describe('pinebridge probe against the Binance simulator', () => {
  it('spot: every step ok or not supported, the orders really placed and none left open', async () => {
    const { code, report, stderr } = await probe(['--exchange', 'binance', '--symbol', 'BTC/USDT']);
    expect(code, stderr).toBe(0);
    expect(report).toMatchObject({ exchange: 'binance', mode: 'testnet', symbol: 'BTC/USDT', ok: true, leftOpen: [] });
    expect(statusOf(report)).toEqual({
      markets: 'ok', balances: 'ok', place_limit: 'ok', lookup: 'ok', lookup_unknown: 'ok', cancel: 'ok',
      reduce_only: 'not_supported', trigger: 'ok', position_mode: 'not_supported', cleanup: 'ok',
    });
    // On the exchange: a far-below limit buy and a stop-limit buy, both by the probe's client ids, both cancelled.
    const mine = sim.orders().filter((o) => o.clientOrderId.startsWith('pbprobe'));
    expect(mine.map((o) => o.type).sort()).toEqual(['LIMIT', 'STOP_LOSS_LIMIT']);
    expect(mine.every((o) => o.status === 'CANCELED')).toBe(true);
    expect(Number(mine.find((o) => o.type === 'LIMIT')!.price)).toBeLessThan(65_000 * 0.6);
    expect(sim.openOrders('BTCUSDT')).toEqual([]);
    expect(report.steps.find((s) => s.step === 'balances')!.detail).toMatch(/USDT 10000/);
  }, 60_000);

  it('perpetuals: reduce-only refused with no position, a trigger (algo) order found and cancelled, one-way mode', async () => {
    const { code, report, stderr } = await probe(['--exchange', 'binanceusdm', '--symbol', 'BTC/USDT:USDT']);
    expect(code, stderr).toBe(0);
    expect(statusOf(report)).toEqual({
      markets: 'ok', balances: 'ok', place_limit: 'ok', lookup: 'ok', lookup_unknown: 'ok', cancel: 'ok',
      reduce_only: 'ok', trigger: 'ok', position_mode: 'ok', cleanup: 'ok',
    });
    expect(report.steps.find((s) => s.step === 'reduce_only')!.detail).toMatch(/refused: .*ReduceOnly Order is rejected/);
    expect(report.steps.find((s) => s.step === 'position_mode')!.detail).toMatch(/one-way/);
    const algos = sim.futures.algoOrders().filter((o) => o.clientAlgoId.startsWith('pbprobe'));
    expect(algos).toHaveLength(1);
    expect(algos[0]!.algoStatus).toBe('CANCELED');
    expect(sim.futures.openOrders('BTCUSDT')).toEqual([]);
    expect(sim.futures.openAlgoOrders('BTCUSDT')).toEqual([]);
  }, 60_000);

  it('perpetuals in hedge mode: the orders name the long side, a close of the long side with no position is refused', async () => {
    const before = new Set([...sim.futures.orders().map((o) => o.clientOrderId), ...sim.futures.algoOrders().map((o) => o.clientAlgoId)]);
    sim.futures.setDualSide(true);
    try {
      const { code, report, stderr } = await probe(['--exchange', 'binanceusdm', '--symbol', 'BTC/USDT:USDT']);
      expect(code, stderr).toBe(0);
      expect(statusOf(report)).toEqual({
        markets: 'ok', balances: 'ok', place_limit: 'ok', lookup: 'ok', lookup_unknown: 'ok', cancel: 'ok',
        reduce_only: 'ok', trigger: 'ok', position_mode: 'ok', cleanup: 'ok',
      });
      expect(report.steps.find((s) => s.step === 'position_mode')!.detail).toMatch(/^hedge mode .*the probe's orders below name the long side/);
      expect(report.steps.find((s) => s.step === 'reduce_only')!.detail).toMatch(/^a close of the long side .* with no position was refused: /);
      // On the exchange: every order the probe sent named LONG, none reduce-only (Binance refuses both together, -1106).
      const mine = sim.futures.orders().filter((o) => o.clientOrderId.startsWith('pbprobe') && !before.has(o.clientOrderId));
      expect(mine.length).toBeGreaterThan(0);
      expect(mine.every((o) => o.positionSide === 'LONG' && !o.reduceOnly)).toBe(true);
      const algos = sim.futures.algoOrders().filter((o) => o.clientAlgoId.startsWith('pbprobe') && !before.has(o.clientAlgoId));
      expect(algos.map((o) => [o.positionSide, o.reduceOnly, o.algoStatus])).toEqual([['LONG', false, 'CANCELED']]);
      expect(sim.futures.openOrders('BTCUSDT')).toEqual([]);
      expect(sim.futures.openAlgoOrders('BTCUSDT')).toEqual([]);
    } finally {
      sim.futures.setDualSide(false);
    }
  }, 60_000);

  it('a step the exchange refuses is reported failed, and what was placed is still cancelled', async () => {
    // The first cancel of a plain order fails: the cancel step fails; the clean-up cancels it after.
    const fault = sim.injectFault({ kind: 'http500', method: 'DELETE', path: '/api/v3/order', times: 1 });
    const { code, report } = await probe(['--exchange', 'binance', '--symbol', 'BTC/USDT']);
    expect(fault.applied()).toBe(1);
    expect(code).toBe(1);
    expect(report.ok).toBe(false);
    expect(statusOf(report).cancel).toBe('failed');
    expect(statusOf(report).cleanup).toBe('ok');
    expect(report.leftOpen).toEqual([]);
    expect(sim.openOrders('BTCUSDT')).toEqual([]);
  }, 60_000);

  it('keys the exchange refuses: the first private step fails in the exchange\'s words, nothing is placed', async () => {
    const before = sim.orders().length;
    const { code, report } = await probe(['--exchange', 'binance'], { key: 'x'.repeat(64), secret: 'y'.repeat(64) });
    expect(code).toBe(1);
    expect(statusOf(report).balances).toBe('failed');
    expect(report.steps.find((s) => s.step === 'balances')!.detail).toMatch(/API-key/i);
    expect(sim.orders().length).toBe(before);
  }, 60_000);
});
