import { execFile } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { dataPaths } from '../../main/engine/core/paths.js';
import { CircuitBreakers } from '../../main/engine/risk/circuit-breaker.js';
import { RiskStateFile } from '../../main/engine/risk/state-file.js';
import { BIN } from '../support/serve-process.js';
import { tempDir } from '../support/temp-dir.js';

const cli = (args: string[]) =>
  new Promise<{ status: number; stdout: string; stderr: string }>((resolve) =>
    execFile(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 30_000 }, (err, stdout, stderr) =>
      resolve({ status: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    ),
  );

/** `pinebridge breaker list|reset` with no server running: the saved state in the data dir, as the server keeps it. */
describe('pinebridge breaker (no server running)', () => {
  const dir = tempDir('pinebridge-breaker-cli-');
  afterAll(() => dir.cleanup());

  it('lists an open breaker saved by the server and re-arms it in the file; the next server reads it closed', async () => {
    const paths = dataPaths(dir.path);
    const open = new CircuitBreakers({ settings: () => ({ maxFailures: 1, windowSec: 600, coolDownSec: 0 }), now: () => Date.now(), store: new RiskStateFile(paths.riskState) });
    open.failure('side', 'market buy 0.001 BTC/USDT: binance is unavailable');
    expect(open.state('side').state).toBe('open');

    const list = await cli(['breaker', 'list', '--data-dir', dir.path]);
    expect(list.status, list.stderr).toBe(0);
    expect(list.stdout).toContain(`Circuit breakers (${paths.riskState} (no server running)):`);
    expect(list.stdout).toMatch(/^ {2}main: closed · 0 recent failures$/m);
    expect(list.stdout).toMatch(/^ {2}side: OPEN \(trading halted\) · .*1 execution failures within 10 min.*last failure: market buy 0\.001 BTC\/USDT: binance is unavailable$/m);

    const reset = await cli(['breaker', 'reset', 'side', '--data-dir', dir.path]);
    expect(reset.status, reset.stderr).toBe(0);
    expect(reset.stdout).toContain('Circuit breaker of account side reset by hand');
    const after = new CircuitBreakers({ settings: () => ({ maxFailures: 1, windowSec: 600, coolDownSec: 0 }), now: () => Date.now(), store: new RiskStateFile(paths.riskState) });
    expect(after.state('side')).toMatchObject({ state: 'closed', failures: 0 });
  });

  it('refuses a reset without an account, and an unknown subcommand, with the usage', async () => {
    const r = await cli(['breaker', 'reset', '--data-dir', dir.path]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('breaker reset needs one account');
    const u = await cli(['breaker', 'open', '--data-dir', dir.path]);
    expect(u.status).toBe(2);
    expect(u.stderr).toContain('pinebridge breaker list | pinebridge breaker reset ACCOUNT');
  });
});
