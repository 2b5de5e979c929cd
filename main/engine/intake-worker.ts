/**
 * The intake thread (a worker_threads worker, started by intake-thread.ts): the webhook listener,
 * the Koa app, body reads and validation, its own journal connection and the group-commit writer,
 * so that execution's work on the main thread never holds up an answer. A request is answered
 * once its alert is durable, as before; the durable batch then goes to the main thread, which
 * hands the accepted alerts to execution (read there from its own connection).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Logger } from './core/logging/logger.js';
import { Redactor } from './core/logging/redactor.js';
import { isDiskError } from './core/disk-guard.js';
import type { LogLevel } from '../../shared/dto/logs.js';
import { honourContextFor } from './execution/honour-context.js';
import type { FromIntake, IntakeState, IntakeWorkerData, ToIntake } from './intake/intake-messages.js';
import { JournalWriter } from './intake/journal-writer.js';
import { defaultRejectionLogConfig, RejectionLog } from './intake/rejection-log.js';
import { createWebhookApp } from './intake/webhook-app.js';
import { closeWebhook, listenWebhook } from './intake/webhook-server.js';
import { Journal } from './journal/journal.js';
import { RequestTracker } from './ops/request-tracker.js';
import { PeerMirror } from './tunnel/tunnel-peers.js';

if (!parentPort) throw new Error('intake-worker.ts runs as a worker thread (intake-thread.ts starts it)');
const port = parentPort;
const data = workerData as IntakeWorkerData;
const post = (m: FromIntake) => port.postMessage(m);

/** Log lines go to the main thread's logger: one redaction, one log file, one live log. */
function forwardingLogger(): Logger {
  const at =
    (level: LogLevel) =>
    (a: unknown, b?: string): void => {
      const obj = typeof a === 'string' ? {} : { ...(a as Record<string, unknown>) };
      post({ t: 'log', level, obj, msg: typeof a === 'string' ? a : (b ?? '') });
    };
  return { trace: at('trace'), debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), fatal: at('fatal') } as unknown as Logger;
}

/** Answers reported once per event-loop turn, not one message per request. */
const answers: [number, string, number][] = [];
function answered(ms: number, outcome: string, status: number): void {
  if (answers.length === 0) setImmediate(() => post({ t: 'answers', answers: answers.splice(0) }));
  answers.push([ms, outcome, status]);
}

async function main(): Promise<void> {
  const redactor = new Redactor();
  redactor.add(data.secret);
  const logger = forwardingLogger();
  const state: IntakeState = { ...data.state };
  let honour = honourContextFor(data.settings);
  // The main thread opened the journal first (and migrated it): this connection only writes alerts.
  const journal = Journal.open(data.location);
  const writer = new JournalWriter(journal, (results) => post({ t: 'recorded', results }));
  const rejections = new RejectionLog(defaultRejectionLogConfig, (alert) => writer.submit(alert), Date.now, (e) =>
    logger.error({ err: redactor.scrub(String(e)) }, 'journal write failed: a summary of rejected requests was lost'),
  );
  const peers = new PeerMirror(data.peers);
  const app = createWebhookApp({
    writer,
    rejections,
    cluster: () => state.cluster,
    tunnelPeers: () => peers,
    secret: () => data.secret,
    redactor,
    logger,
    now: Date.now,
    draining: () => state.draining,
    notReady: () => state.notReady,
    honourContext: (signal) => honour(signal),
    storageRefusal: () => state.storageRefusal,
    onWriteError: (e) => {
      const code = (e as { code?: unknown } | null)?.code;
      const message = redactor.scrub(String((e as Error)?.message ?? e));
      post({ t: 'writeError', error: { message, ...(typeof code === 'string' ? { code } : {}) } });
      if (!isDiskError(e)) return false;
      // Refused from the next request on, as the main thread's disk guard does once it hears of
      // it (its state, pushed here, then replaces this one).
      state.storageRefusal ??= `disk full: a journal write failed (${message})`;
      return true;
    },
    onAnswer: answered,
    config: data.config,
  });
  const requests = new RequestTracker();
  const { server, port: bound } = await listenWebhook(requests.track(app.callback(), () => state.draining), data.listen);

  port.on('message', (m: ToIntake) => {
    const done = (extra: { unanswered?: number } = {}) => post({ t: 'done', id: (m as { id: number }).id, ...extra });
    switch (m.t) {
      case 'state':
        Object.assign(state, m.state);
        break;
      case 'redact':
        redactor.add(m.value);
        break;
      case 'settings':
        honour = honourContextFor(m.settings);
        break;
      case 'settle':
        void requests.settle(m.ms).then((unanswered) => done({ unanswered }));
        break;
      case 'drain':
        void rejections
          .flush()
          .then(() => writer.drain())
          .then(() => done());
        break;
      case 'close':
        void closeWebhook(server).then(() => {
          journal.close();
          done();
          port.close();
        });
        break;
    }
  });
  post({ t: 'listening', port: bound });
}

main().catch((e: unknown) => {
  const code = (e as { code?: unknown } | null)?.code;
  post({ t: 'failed', message: String((e as Error)?.message ?? e), ...(typeof code === 'string' ? { code } : {}) });
});
