import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../../support/temp-dir.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

export interface ServeProcess {
  child: ChildProcess;
  dataDir: string;
  controlUrl: string;
  webhookUrl: string;
  token: string;
  /** Everything the process printed so far. */
  output(): string;
  /** POST a JSON alert to the webhook. */
  postAlert(body: Record<string, unknown>): Promise<{ status: number; body: unknown }>;
  webhookSecret(): string;
  stop(): Promise<void>;
}

/**
 * A real `pinebridge serve` child process in its own data dir on free ports, as a user runs it.
 * Resolves once it printed its URLs.
 */
export async function startServe(
  opts: {
    args?: string[];
    env?: Record<string, string>;
    /** `--mode` (default paper); null: no flag, the settings file decides. */
    mode?: 'paper' | 'testnet' | 'live' | null;
    /** Written to <data-dir>/settings.json before the start. */
    settings?: Record<string, unknown>;
  } = {},
): Promise<ServeProcess> {
  const dir = tempDir('pinebridge-ui-');
  if (opts.settings) writeFileSync(join(dir.path, 'settings.json'), JSON.stringify(opts.settings));
  const mode = opts.mode === undefined ? 'paper' : opts.mode;
  const secret = 'ui-test-webhook-secret-0123456789abcdef';
  const child = spawn(
    process.execPath,
    ['bin/pinebridge.js', 'serve', '--data-dir', dir.path, '--webhook-port', '0', '--control-port', '0', ...(mode ? ['--mode', mode] : []), ...(opts.args ?? [])],
    {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: dir.path,
        PINEBRIDGE_NO_KEYCHAIN: '1',
        PINEBRIDGE_WEBHOOK_SECRET: secret,
        ...opts.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));

  const urls = await new Promise<{ controlUrl: string; webhookUrl: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start in 20 s:\n${out}`)), 20_000);
    const check = () => {
      const ui = /Web UI:\s+(http:\/\/\S+)/.exec(out)?.[1];
      const hook = /Webhook:\s+(http:\/\/\S+)/.exec(out)?.[1];
      if (ui && hook) {
        clearTimeout(timer);
        resolve({ controlUrl: ui.replace(/\/$/, ''), webhookUrl: hook });
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${out}`));
    });
  });
  const token = readFileSync(join(dir.path, 'control-token'), 'utf8').trim();

  return {
    child,
    dataDir: dir.path,
    ...urls,
    token,
    output: () => out,
    webhookSecret: () => secret,
    async postAlert(body) {
      const res = await fetch(urls.webhookUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // text answer
      }
      return { status: res.status, body: parsed };
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(t);
      }
      dir.cleanup();
    },
  };
}
