/**
 * The engine's webhook listener, in one of two places: its own thread (the default: the intake
 * thread, intake-worker.ts), or the main thread (an engine given a clock, which cannot cross a
 * thread: tests that move time). Either way the engine stops it the same way: draining answers
 * 503, `settle` waits for the requests in flight, `drain` for every alert submitted to be durable,
 * `close` closes the listener and (in the thread) its journal connection before the engine's own.
 */
import type { Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Settings } from './core/config.js';
import type { EventBus } from './core/event-bus.js';
import type { Logger } from './core/logging/logger.js';
import type { Redactor } from './core/logging/redactor.js';
import type { TunnelPeers } from './core/ports.js';
import type { FromIntake, IntakeState, IntakeWorkerData, ToIntake } from './intake/intake-messages.js';
import type { IntakeConfig } from './intake/webhook-app.js';
import { closeWebhook } from './intake/webhook-server.js';
import type { RecordResult } from './journal/alerts.js';
import { PeerMirror } from './tunnel/tunnel-peers.js';

export interface WebhookListener {
  readonly port: number;
  /** True for the intake thread. */
  readonly thread: boolean;
  listening(): boolean;
  /** The state the app reads changed (draining, mostly): the thread hears of it now. */
  refresh(): void;
  /** Waits up to `ms` for the requests in flight; resolves with how many were not answered. */
  settle(ms: number): Promise<number>;
  drain(): Promise<void>;
  close(): Promise<void>;
}

/** The listener on the main thread (the app built there). */
export function mainThreadListener(server: Server, port: number, settle: (ms: number) => Promise<number>, drain: () => Promise<void>): WebhookListener {
  return { port, thread: false, listening: () => server.listening, refresh: () => {}, settle, drain, close: () => closeWebhook(server) };
}

export interface IntakeThreadDeps {
  location: string;
  listen: { port: number; host: string };
  config: IntakeConfig;
  settings: Settings;
  secret: string;
  redactor: Redactor;
  logger: Logger;
  events: EventBus;
  /** Read now and whenever it may have changed; what changed is sent to the thread. */
  state: () => IntakeState;
  /** Calls back when the state changed (readiness: the disk, the journal, a part); returns an unsubscribe function. */
  onStateChange: (changed: () => void) => () => void;
  tunnelPeers: () => TunnelPeers | null;
  onRecorded: (results: RecordResult[]) => void;
  onAnswer: (ms: number, outcome: string, status: number) => void;
  onWriteError: (e: unknown) => void;
}

/** How often the state the app reads is compared with what the thread was last sent, ms. */
const STATE_POLL_MS = 100;

/** Starts the intake thread; resolves once it listens (rejects with the listen error otherwise). */
export async function startIntakeThread(d: IntakeThreadDeps): Promise<WebhookListener> {
  const peers = new PeerMirror();
  let sent = d.state();
  const data: IntakeWorkerData = { location: d.location, listen: d.listen, config: d.config, settings: d.settings, secret: d.secret, state: sent, peers: peers.buffer };
  const worker = spawn(data);
  const send = (m: ToIntake) => worker.postMessage(m);
  let alive = true;
  const waiting = new Map<number, (m: Extract<FromIntake, { t: 'done' }>) => void>();
  let nextId = 1;
  const ask = (m: { t: 'settle'; ms: number } | { t: 'drain' } | { t: 'close' }) =>
    new Promise<Extract<FromIntake, { t: 'done' }>>((resolve) => {
      if (!alive) return resolve({ t: 'done', id: 0, unanswered: 0 });
      const id = nextId++;
      waiting.set(id, resolve);
      send({ ...m, id } as ToIntake);
    });

  const refresh = () => {
    const now = d.state();
    if (JSON.stringify(now) === JSON.stringify(sent)) return;
    sent = now;
    send({ t: 'state', state: now });
  };
  // Readiness changes are sent at once; the rest (the cluster's roles) within a poll.
  const unwatch = d.onStateChange(refresh);
  const poll = setInterval(refresh, STATE_POLL_MS);
  poll.unref();
  const unfollow = d.redactor.follow((value) => send({ t: 'redact', value }));
  // The tunnel in use can change (restarted, replaced from the UI): its peers are copied in.
  let mirrored: TunnelPeers | null = null;
  let unmirror: (() => void) | null = null;
  const followTunnel = () => {
    const now = d.tunnelPeers();
    if (now === mirrored) return;
    unmirror?.();
    mirrored = now;
    unmirror = now?.mirror?.(peers.slots) ?? null;
  };
  followTunnel();
  const unsubscribe = d.events.subscribe((e) => {
    if (e.type === 'tunnel') followTunnel();
    else if (e.type === 'settings') send({ t: 'settings', settings: d.settings });
  });

  const port = await new Promise<number>((resolve, reject) => {
    worker.on('message', (m: FromIntake) => {
      switch (m.t) {
        case 'listening':
          return resolve(m.port);
        case 'failed':
          return reject(Object.assign(new Error(m.message), m.code ? { code: m.code } : {}));
        case 'recorded':
          return d.onRecorded(m.results);
        case 'answers':
          for (const [ms, outcome, status] of m.answers) d.onAnswer(ms, outcome, status);
          return;
        case 'log':
          return d.logger[m.level as 'info'](m.obj, m.msg);
        case 'writeError':
          return d.onWriteError(Object.assign(new Error(m.error.message), m.error.code ? { code: m.error.code } : {}));
        case 'done':
          waiting.get(m.id)?.(m);
          waiting.delete(m.id);
          return;
      }
    });
    worker.on('error', (e) => {
      d.logger.error({ err: d.redactor.scrub(String(e?.stack ?? e)) }, 'the intake thread failed: webhooks are not taken');
      reject(e);
    });
    worker.on('exit', (code) => {
      alive = false;
      clearInterval(poll);
      unwatch();
      unfollow();
      unsubscribe();
      unmirror?.();
      for (const resolve of waiting.values()) resolve({ t: 'done', id: 0, unanswered: 0 });
      waiting.clear();
      if (code !== 0) reject(new Error(`the intake thread exited (${code}) before it listened`));
    });
  });

  return {
    port,
    thread: true,
    listening: () => alive,
    refresh,
    settle: async (ms) => (await ask({ t: 'settle', ms })).unanswered ?? 0,
    drain: async () => void (await ask({ t: 'drain' })),
    close: async () => {
      refresh();
      await ask({ t: 'close' });
      await new Promise<void>((resolve) => (alive ? worker.once('exit', () => resolve()) : resolve()));
    },
  };
}

/**
 * The built engine (dist) runs intake-worker.js as it is; from the TypeScript sources (tests,
 * `tsx`) the worker loads them through tsx's loader first.
 */
function spawn(data: IntakeWorkerData): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./intake-worker.js', here), { workerData: data });
  const pkg = createRequire(here).resolve('tsx/package.json');
  const tsx = pathToFileURL(join(dirname(pkg), (JSON.parse(readFileSync(pkg, 'utf8')) as TsxPackage).exports['./esm/api'].import.default)).href;
  const entry = new URL('./intake-worker.ts', here).href;
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { eval: true, workerData: data });
}

type TsxPackage = { exports: { './esm/api': { import: { default: string } } } };
