import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RotatingFile } from '../../main/engine/core/logging/rotating-file.js';
import { spawnServe, type ServeProcess } from '../support/serve-process.js';
import { tempDir } from '../support/temp-dir.js';
import { alert, post, SECRET, until } from './support.js';

const API_KEY = 'exchange-api-key-ABCDEFGHIJKLMNOP';

describe('logs', () => {
  let server: ServeProcess | null = null;
  const dirs: { cleanup: () => void }[] = [];
  afterEach(async () => {
    await server?.kill9();
    server = null;
    dirs.splice(0).forEach((d) => d.cleanup());
  });

  it('--json-logs: one JSON object per stdout line; the data-dir log rotates by size, bounded; secrets redacted in both', async () => {
    const dir = tempDir();
    dirs.push(dir);
    // 16 KB x 3 files, so a few hundred alerts rotate it several times.
    writeFileSync(join(dir.path, 'settings.json'), JSON.stringify({ logs: { maxSizeMb: 16 / 1024, maxFiles: 3 } }));
    server = await spawnServe({
      dataDir: dir.path,
      args: ['--json-logs'],
      env: { PINEBRIDGE_WEBHOOK_SECRET: SECRET, PINEBRIDGE_API_KEY: API_KEY },
    });
    for (let i = 0; i < 300; i += 50) {
      await Promise.all(
        Array.from({ length: 50 }, (_, j) =>
          post(server!.webhookUrl, alert({ id: `log-${i + j}`, comment: `key ${API_KEY} and secret ${SECRET}`, strategy: `strategy-${j}` })),
        ),
      );
    }
    // Wrong secrets are logged as rejections; the real one appears in their bodies too.
    await post(server.webhookUrl, alert({ secret: `not-${SECRET}` }));
    expect(await server.stop()).toBe(0);

    const stdout = server.output().trimEnd().split('\n');
    expect(stdout.length).toBeGreaterThan(300);
    for (const line of stdout) {
      const o = JSON.parse(line) as { level: number; time: number; msg: string };
      expect(typeof o.msg).toBe('string');
      expect(typeof o.time).toBe('number');
    }
    expect(stdout.some((l) => l.includes('"msg":"alert accepted: buy BINANCE:BTCUSDT"'))).toBe(true);

    const logDir = join(dir.path, 'logs');
    const files = readdirSync(logDir).sort();
    expect(files).toEqual(['pinebridge.log', 'pinebridge.log.1', 'pinebridge.log.2']);
    let total = '';
    for (const f of files) {
      const text = readFileSync(join(logDir, f), 'utf8');
      // Rotation happens before the line that would cross the limit.
      expect(statSync(join(logDir, f)).size).toBeLessThanOrEqual(16 * 1024);
      for (const line of text.trimEnd().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
      total += text;
    }
    for (const text of [total, server.output()]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(API_KEY);
    }
    expect(total).toContain('stopped');
  });

  it('RotatingFile keeps at most maxFiles files and never splits a line', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const file = join(dir.path, 'x.log');
    const out = new RotatingFile(file, { maxBytes: 2048, maxFiles: 4 });
    const line = (i: number) => JSON.stringify({ i, pad: 'x'.repeat(90) }) + '\n';
    for (let i = 0; i < 500; i++) out.write(line(i));
    await new Promise<void>((resolve) => out.flush(() => resolve()));
    await until(() => readFileSync(file, 'utf8').includes('"i":499'), 'the last line on disk');
    const files = readdirSync(dir.path).sort();
    expect(files).toEqual(['x.log', 'x.log.1', 'x.log.2', 'x.log.3']);
    const seen: number[] = [];
    for (const f of ['x.log.3', 'x.log.2', 'x.log.1', 'x.log']) {
      const text = readFileSync(join(dir.path, f), 'utf8');
      expect(Buffer.byteLength(text)).toBeLessThanOrEqual(2048);
      for (const l of text.trimEnd().split('\n')) seen.push((JSON.parse(l) as { i: number }).i);
    }
    // The newest lines, in order, none lost between the kept files.
    expect(seen).toEqual(Array.from({ length: seen.length }, (_, k) => 500 - seen.length + k));
    out.end();
  });
});
