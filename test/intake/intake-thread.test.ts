import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dataPaths } from '../../main/engine/core/paths.js';
import { takeCleanStop } from '../../main/engine/ops/clean-stop.js';
import { startHarness, TEST_SECRET, type Harness } from '../support/engine-harness.js';

const alert = (id: string) => ({ secret: TEST_SECRET, strategy: 'thread', action: 'buy', symbol: 'BINANCE:BTCUSDT', quantity: '0.001', price: '65000', id });

/** Blocks this thread (the engine's main thread) until `done()` or `ms` passed; true when done. */
function blockUntil(done: () => boolean, ms: number): boolean {
  const nap = new Int32Array(new SharedArrayBuffer(4));
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (done()) return true;
    Atomics.wait(nap, 0, 0, 20);
  }
  return done();
}

describe('the webhook intake in its own thread', () => {
  let h: Harness | null = null;
  afterEach(async () => {
    await h?.close();
    h = null;
  });

  it('answers an alert durably while the main thread is blocked; execution takes it once the main thread runs again', async () => {
    h = await startHarness();
    const out = join(h.dataDir, 'answer.json');
    // A client in another process: its request needs nothing from this thread to be answered.
    const curl = spawn('curl', ['-s', '-o', out, '-H', 'Content-Type: application/json', '--data', JSON.stringify(alert('blocked-1')), `${h.url}/webhook`], { stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => curl.once('exit', resolve));
    const answered = () => existsSync(out) && readFileSync(out, 'utf8').includes('"accepted"');
    // The engine's main thread does nothing for 10 s (at most): the answer comes meanwhile.
    expect(blockUntil(answered, 10_000)).toBe(true);
    expect(await exited).toBe(0);
    const { alertId } = JSON.parse(readFileSync(out, 'utf8')) as { alertId: string };
    // Durable before the answer: the engine's own connection reads it.
    expect(h.engine.journal().alerts.get(alertId)?.body).toContain('blocked-1');
    await h.engine.executionIdle();
    await expect.poll(() => h!.engine.journal().alerts.get(alertId)?.status, { timeout: 10_000 }).toBe('executed');
  });

  it('stops cleanly: both journal connections closed before the clean-stop marker is written', async () => {
    h = await startHarness();
    const res = await h.post(alert('before-stop'));
    expect(res.status).toBe(200);
    const paths = dataPaths(h.dataDir);
    await h.engine.stop();
    // The marker matches the files as they are now: nothing (the intake thread's connection
    // closing late, its checkpoint) changed them after it was written.
    expect(existsSync(paths.cleanStop)).toBe(true);
    expect(takeCleanStop(paths)).toBe(true);
  });

  it('an engine given a clock keeps the intake on the main thread (a clock cannot cross threads)', async () => {
    const t = Date.parse('2026-12-08T00:00:00Z');
    h = await startHarness({ clock: { now: () => t } });
    const res = await h.post(alert('clocked'));
    expect(res.status).toBe(200);
    expect(h.engine.journal().alerts.get(res.body.alertId)?.receivedAt).toBe(t);
  });
});
