import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { lockOwner } from '../main/engine/core/lock.js';
import { BIN, spawnServe, type ServeProcess } from './support/serve-process.js';
import { tempDir } from './support/temp-dir.js';

const run = promisify(execFile);
const SECRET = 'serve-test-secret-abcdefghijklmnop';

describe('pinebridge CLI', () => {
  it('prints help with every serve option', async () => {
    const { stdout } = await run(process.execPath, [BIN, '--help']);
    for (const flag of ['--data-dir', '--webhook-port', '--control-port', '--mode', '--exchange', '--exchange-url', '--tunnel', '--json-logs']) {
      expect(stdout).toContain(flag);
    }
  });

  it('refuses an unknown mode with a usage error', async () => {
    const dir = tempDir();
    try {
      const err = await run(process.execPath, [BIN, 'serve', '--data-dir', dir.path, '--mode', 'yolo']).catch((e: { code: number; stderr: string }) => e);
      expect(err).toMatchObject({ code: 2 });
      expect((err as { stderr: string }).stderr).toContain('--mode must be one of paper, testnet, live');
    } finally {
      dir.cleanup();
    }
  });

  it('`pinebridge secret` creates the webhook secret once (0600 file without a keychain) and prints it', async () => {
    const dir = tempDir();
    try {
      const env = { ...process.env, PINEBRIDGE_NO_KEYCHAIN: '1', PINEBRIDGE_WEBHOOK_SECRET: '' };
      const first = (await run(process.execPath, [BIN, 'secret', '--data-dir', dir.path], { env })).stdout.trim();
      const second = (await run(process.execPath, [BIN, 'secret', '--data-dir', dir.path], { env })).stdout.trim();
      expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(second).toBe(first);
      const file = join(dir.path, 'webhook-secret');
      expect(statSync(file).mode & 0o777).toBe(0o600);
    } finally {
      dir.cleanup();
    }
  });
});

describe('pinebridge serve', () => {
  let server: ServeProcess | null = null;
  const dirs: { cleanup: () => void }[] = [];
  afterEach(async () => {
    await server?.kill9();
    server = null;
    dirs.splice(0).forEach((d) => d.cleanup());
  });

  it('prints its URLs, takes alerts, creates a 0600 control token, and stops cleanly on SIGTERM', async () => {
    const dir = tempDir();
    dirs.push(dir);
    server = await spawnServe({ dataDir: dir.path, env: { PINEBRIDGE_WEBHOOK_SECRET: SECRET } });
    expect(server.webhookUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/webhook$/);
    expect(server.controlUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(statSync(server.tokenFile).mode & 0o777).toBe(0o600);

    const res = await fetch(server.webhookUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: JSON.stringify({ secret: SECRET, action: 'buy', symbol: 'BTCUSDT', quantity: 0.01 }),
    });
    expect(res.status).toBe(200);
    const { alertId } = (await res.json()) as { alertId: string };

    const token = readFileSync(server.tokenFile, 'utf8').trim();
    const api = await fetch(server.controlUrl + 'api/getAlert', {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ id: alertId }),
    });
    expect(((await api.json()) as { result: { id: string } }).result.id).toBe(alertId);

    expect(await server.stop('SIGTERM')).toBe(0);
    expect(lockOwner(join(dir.path, 'pinebridge.lock'))).toBeNull();
    const log = readFileSync(join(dir.path, 'logs', 'pinebridge.log'), 'utf8');
    expect(log).toContain('alert accepted');
    expect(log).not.toContain(SECRET);
    expect(server.output()).not.toContain(SECRET);
  });

  it('refuses a second server on the same data dir', async () => {
    const dir = tempDir();
    dirs.push(dir);
    server = await spawnServe({ dataDir: dir.path, env: { PINEBRIDGE_WEBHOOK_SECRET: SECRET } });
    const err = await run(process.execPath, [BIN, 'serve', '--data-dir', dir.path, '--webhook-port', '0', '--control-port', '0'], {
      env: { ...process.env, PINEBRIDGE_NO_KEYCHAIN: '1' },
    }).catch((e: { code: number; stderr: string }) => e);
    expect(err).toMatchObject({ code: 1 });
    expect((err as { stderr: string }).stderr).toContain('Another Pinebridge');
  });

  it('keeps every acknowledged alert when killed with SIGKILL right after answering', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const env = { PINEBRIDGE_WEBHOOK_SECRET: SECRET };
    for (let round = 0; round < 3; round++) {
      server = await spawnServe({ dataDir: dir.path, env });
      const acked: string[] = [];
      const url = server.webhookUrl;
      const proc = server.proc;
      // Fire a burst; the moment the 50th answer is in, kill -9 while the rest are in flight.
      const requests = Array.from({ length: 200 }, (_, i) =>
        fetch(url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ secret: SECRET, strategy: `s${i % 7}`, action: 'buy', symbol: 'ETHUSDT', quantity: '0.1', id: `r${round}-${i}` }),
        })
          .then(async (r) => {
            if (r.status === 200) {
              const body = (await r.json()) as { alertId: string; status: string };
              acked.push(body.alertId);
              if (acked.length === 50) proc.kill('SIGKILL');
            }
          })
          .catch(() => undefined),
      );
      await Promise.all(requests);
      await server.kill9();
      expect(acked.length).toBeGreaterThanOrEqual(50);

      const db = new Database(join(dir.path, 'journal.sqlite'), { readonly: true });
      const found = db.prepare(`SELECT id FROM alerts WHERE status != 'rejected'`).all() as { id: string }[];
      db.close();
      const ids = new Set(found.map((r) => r.id));
      const lost = acked.filter((id) => !ids.has(id));
      expect(lost).toEqual([]);
    }
    // And a restarted server still works on the same journal.
    server = await spawnServe({ dataDir: dir.path, env });
    const res = await fetch(server.webhookUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ secret: SECRET, action: 'sell', symbol: 'ETHUSDT', quantity: '0.1', id: 'after-crash' }),
    });
    expect(res.status).toBe(200);
  });
});
