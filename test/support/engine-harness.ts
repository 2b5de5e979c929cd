import type { DeepPartial, Settings } from '../../main/engine/core/config.js';
import { createEngine, type Engine } from '../../main/engine/engine.js';
import type { Clock, SecretStore } from '../../main/engine/core/ports.js';
import { createFileStore } from '../../main/engine/secrets/index.js';
import { tempDir } from './temp-dir.js';

export const TEST_SECRET = 'test-webhook-secret-0123456789abcdef';

/** What the webhook answers: accepted/duplicate/skipped with an id, or an error. */
export interface WebhookAnswer {
  status: string;
  alertId: string;
  reason?: string;
  error: { code: string; message: string };
}

export interface Harness {
  engine: Engine;
  dataDir: string;
  url: string;
  secrets: SecretStore;
  /** POST to /webhook (or another path) with a JSON object or raw text. */
  post(body: unknown, opts?: { path?: string; contentType?: string; headers?: Record<string, string> }): Promise<{ status: number; body: WebhookAnswer; headers: Headers }>;
  close(): Promise<void>;
}

/** A real engine on an ephemeral port with a real SQLite journal in its own temp dir (or the PostgreSQL database given). */
export async function startHarness(
  opts: { overrides?: DeepPartial<Settings>; clock?: Clock; webhookSecret?: string; databaseUrl?: string } = {},
): Promise<Harness> {
  const dir = tempDir();
  const secrets = createFileStore(dir.path);
  const engine = await createEngine({
    dataDir: dir.path,
    databaseUrl: opts.databaseUrl,
    overrides: { ...opts.overrides, webhook: { port: 0, ...(opts.overrides?.webhook ?? {}) }, control: { port: 0 } },
    secrets,
    webhookSecret: opts.webhookSecret ?? TEST_SECRET,
    clock: opts.clock,
    log: { console: null, level: 'warn' },
  });
  const { webhookPort } = await engine.start();
  const url = `http://127.0.0.1:${webhookPort}`;
  return {
    engine,
    dataDir: dir.path,
    url,
    secrets,
    async post(body, o = {}) {
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      const res = await fetch(url + (o.path ?? '/webhook'), {
        method: 'POST',
        headers: { 'Content-Type': o.contentType ?? (typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json'), ...o.headers },
        body: text,
      });
      const raw = await res.text();
      let parsed: unknown = raw;
      try {
        parsed = JSON.parse(raw);
      } catch {
        // keep text
      }
      return { status: res.status, body: parsed as WebhookAnswer, headers: res.headers };
    },
    async close() {
      await engine.stop();
      dir.cleanup();
    },
  };
}
