/**
 * `pinebridge exchanges` and the live opt-in, through the real CLI: the levels listed from the
 * table, one exchange's details, a typo refused with the near id; `pinebridge serve --mode live`
 * on an untested exchange refused unless `--allow-untested-exchange` is given.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, spawnServe } from '../support/serve-process.js';
import { tempDir } from '../support/temp-dir.js';

function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, PINEBRIDGE_NO_KEYCHAIN: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('pinebridge exchanges', () => {
  it('lists every exchange with its level and features, verified first', async () => {
    const r = await cli(['exchanges']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^exchange\s+level\s+exactly-once\s+protective\s+trailing\s+testnet/);
    expect(lines[1]).toMatch(/^binance\s+verified\s+yes\s+yes\s+yes\s+yes/);
    expect(r.stdout).toMatch(/^bybit\s+verified/m);
    expect(r.stdout).toMatch(/^kraken\s+reviewed, not verified\s+no/m);
    expect(r.stdout).toMatch(/^bitstamp\s+untested\s+\?/m);
    expect(r.stdout).toMatch(/4 verified, 6 reviewed, not verified, \d+ untested/);
    expect(r.stdout).toContain('--allow-untested-exchange');
  });

  it('shows one exchange: its client order id, look-up and cancel, or its suites', async () => {
    const kucoin = await cli(['exchanges', 'kucoin']);
    expect(kucoin.code).toBe(0);
    expect(kucoin.stdout).toContain('KuCoin (kucoin): reviewed, not verified');
    expect(kucoin.stdout).toMatch(/client order id: clientOid/);
    expect(kucoin.stdout).toMatch(/look-up: .*ArgumentsRequired/);
    const binance = await cli(['exchanges', 'binance', '--json']);
    expect(JSON.parse(binance.stdout)).toMatchObject({ id: 'binance', level: 'verified', suites: expect.arrayContaining(['test/reliability/crash.test.ts']) });
    const only = await cli(['exchanges', '--level', 'reviewed', '--json']);
    expect((JSON.parse(only.stdout) as { id: string }[]).map((e) => e.id).sort()).toEqual(['bingx', 'bitget', 'coinbase', 'gate', 'kraken', 'kucoin']);
  });

  it('refuses a typo with the near id', async () => {
    const r = await cli(['exchanges', 'binanse']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('ccxt has no exchange "binanse": did you mean binance');
  });
});

describe('live mode on an exchange that is not verified', () => {
  const env = { PINEBRIDGE_API_KEY: 'k'.repeat(16), PINEBRIDGE_API_SECRET: 's'.repeat(16), PINEBRIDGE_WEBHOOK_SECRET: 'w'.repeat(24) };

  it('is refused by pinebridge serve without --allow-untested-exchange, saying why and how', async () => {
    const dir = tempDir('pb-untested-');
    try {
      const r = await cli(['serve', '--data-dir', dir.path, '--webhook-port', '0', '--control-port', '0', '--mode', 'live', '--exchange', 'bitstamp'], env);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('Live trading on bitstamp (account main) needs an explicit opt-in');
      expect(r.stderr).toContain('may not be recoverable');
      expect(r.stderr).toContain('--allow-untested-exchange');
      expect(r.stdout).not.toContain('Webhook:');
      // A typo is refused with the near id.
      const typo = await cli(['serve', '--data-dir', dir.path, '--webhook-port', '0', '--control-port', '0', '--mode', 'live', '--exchange', 'binanse'], env);
      expect(typo.code).toBe(2);
      expect(typo.stderr).toContain('did you mean binance');
    } finally {
      dir.cleanup();
    }
  }, 60_000);

  it('starts with --allow-untested-exchange', async () => {
    const dir = tempDir('pb-untested-ok-');
    const serve = await spawnServe({
      dataDir: dir.path,
      args: ['--mode', 'live', '--exchange', 'bitstamp', '--exchange-url', 'http://127.0.0.1:9', '--allow-untested-exchange'],
      env,
    });
    try {
      expect(serve.output()).toContain('Webhook:');
    } finally {
      await serve.stop();
      dir.cleanup();
    }
  }, 60_000);
});
