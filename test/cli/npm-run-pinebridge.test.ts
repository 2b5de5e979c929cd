/**
 * The CLI from a clone, exactly as the README writes it: every line of its `cli-commands` block
 * runs through `npm run pinebridge -- …` (a shell, as a user types it) in a fresh folder laid out
 * like a clone (package.json, bin/, the built dist/, node_modules, .git), after a real
 * `pinebridge serve` has run once on ./data. Also: the banner writes its commands the way that
 * works where it runs.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliCommand, runsFromClone, serveBanner } from '../../main/cli/banner.js';
import { spawnServe } from '../support/serve-process.js';
import { tempDir } from '../support/temp-dir.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

function readmeCommands(): string[] {
  const block = /<!-- cli-commands:start -->\s*```sh\n([\s\S]*?)```\s*<!-- cli-commands:end -->/.exec(README);
  if (!block) throw new Error('README has no cli-commands block');
  return block[1]!.split('\n').map((l) => l.trim()).filter(Boolean);
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function sh(line: string, cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', line], { cwd, env: { ...process.env, PINEBRIDGE_NO_KEYCHAIN: '1', PINEBRIDGE_WEBHOOK_SECRET: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** What npm printed after its own `> pinebridge@… pinebridge` header lines. */
const output = (r: Run): string[] =>
  r.stdout
    .split('\n')
    .filter((l) => !l.startsWith('> ') && l.trim() !== '');

let clone: { path: string; cleanup: () => void };

beforeAll(async () => {
  clone = tempDir('pinebridge-clone-');
  copyFileSync(join(ROOT, 'package.json'), join(clone.path, 'package.json'));
  for (const d of ['bin', 'dist', 'node_modules', 'renderer']) symlinkSync(join(ROOT, d), join(clone.path, d));
  mkdirSync(join(clone.path, '.git'));
  // The server once on ./data (its journal, settings, control token), then stopped.
  const serve = await spawnServe({ dataDir: join(clone.path, 'data'), args: ['--mode', 'paper'] });
  await serve.stop();
}, 60_000);

afterAll(() => clone?.cleanup());

describe('npm run pinebridge -- <command>, as the README writes it', () => {
  it('the README lists every subcommand of the help text', () => {
    const lines = readmeCommands();
    for (const sub of ['--help', 'serve --help', 'secret', 'secret --rotate', 'backup', 'doctor', 'migrate', 'export trades', 'restore', 'exchanges', 'breaker list', 'breaker reset']) {
      expect(lines.some((l) => l.startsWith(`npm run pinebridge -- ${sub}`)), sub).toBe(true);
    }
  });

  it('runs each line as written, with the result the command promises', async () => {
    const results = new Map<string, Run>();
    // In order: rotate after the first secret, restore after backup.
    for (const line of readmeCommands()) {
      const r = await sh(line, clone.path);
      expect(r.code, `${line}\n${r.stdout}\n${r.stderr}`).toBe(0);
      results.set(line, r);
    }
    const get = (prefix: string): Run => [...results].find(([l]) => l.startsWith(prefix))![1];

    expect(get('npm run pinebridge -- --help').stdout).toContain('pinebridge serve [options]');
    expect(get('npm run pinebridge -- serve --help').stdout).toContain('--tunnel KIND');

    // The secret of ./data (not of the default data dir: npm did not take --data-dir), the same one the server made.
    const secret = output(get('npm run pinebridge -- secret --data-dir'));
    const stored = readFileSync(join(clone.path, 'data', 'webhook-secret'), 'utf8').trim();
    expect(secret).toHaveLength(1);
    const rotated = output(get('npm run pinebridge -- secret --rotate'));
    expect(rotated).toHaveLength(1);
    expect(rotated[0]).not.toBe(secret[0]);
    expect(rotated[0]).toBe(stored);

    expect(existsSync(join(clone.path, 'pb-backup.sqlite'))).toBe(true);
    expect(get('npm run pinebridge -- doctor').stdout).toMatch(/integrity_check ok/);
    expect(get('npm run pinebridge -- migrate').stdout).toMatch(/^Journal .*journal\.sqlite: schema v\d+, up to date\.$/m);
    expect(get('npm run pinebridge -- export trades').stdout).toMatch(/^[a-z_]+(,[a-z_]+)+$/m);
    expect(get('npm run pinebridge -- restore').code).toBe(0);
    expect(get('npm run pinebridge -- exchanges').stdout).toMatch(/^binance\s+verified/m);
    expect(get('npm run pinebridge -- exchanges bybit').stdout).toContain('Bybit (bybit): verified');
    expect(get('npm run pinebridge -- breaker list').stdout).toMatch(/^ {2}main: closed · 0 recent failures$/m);
    expect(get('npm run pinebridge -- breaker reset main').stdout).toContain('Circuit breaker of account main reset by hand');
  }, 120_000);

  it('the serve banner in a clone shows the npm run form, and the flag that makes the webhook reachable', async () => {
    const serve = await spawnServe({ dataDir: join(clone.path, 'data2'), args: ['--mode', 'paper'] });
    const out = serve.output();
    await serve.stop();
    expect(out).toContain(`Webhook secret: run \`npm run pinebridge -- secret --data-dir ${join(clone.path, 'data2')}\``);
    expect(out).toContain('TradingView cannot reach this webhook');
    expect(out).toContain(`npm run serve -- --data-dir ${join(clone.path, 'data2')} --tunnel localtunnel`);
  }, 30_000);

  it('an installed package (no .git) is told `pinebridge secret`', () => {
    const installed = tempDir('pinebridge-installed-');
    try {
      expect(runsFromClone(installed.path)).toBe(false);
      expect(runsFromClone(clone.path)).toBe(true);
    } finally {
      installed.cleanup();
    }
    expect(cliCommand('secret', false)).toBe('pinebridge secret');
    const banner = serveBanner({
      mode: 'paper',
      webhookUrl: 'http://127.0.0.1:8787/webhook',
      controlUrl: 'http://127.0.0.1:8788/',
      controlTokenFile: '/d/control-token',
      dataDir: '/d',
      dataDirFlag: undefined,
      tunnel: { provider: 'none', probeIntervalSec: 30, reclaimIntervalSec: 60 },
      clone: false,
    });
    expect(banner).toContain('Webhook secret: run `pinebridge secret`');
    expect(banner).toContain('`pinebridge serve --tunnel localtunnel`');
  });
});
