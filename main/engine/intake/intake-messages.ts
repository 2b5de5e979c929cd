/**
 * What the engine's main thread and the intake thread (engine/intake-worker.ts) tell each other.
 * The intake thread holds the webhook listener, the Koa app, its own journal connection and the
 * group-commit writer; everything else (execution, the control API, logging, metrics) stays on the
 * main thread. What the app reads from the main thread is pushed here when it changes and read
 * there from a local copy; what the app reports comes back as messages.
 */
import type { Settings } from '../core/config.js';
import type { LogLevel } from '../../../shared/dto/logs.js';
import type { RecordResult } from '../journal/alerts.js';
import type { IntakeConfig } from './webhook-app.js';

/** What the webhook app reads per request, as the main thread last saw it. */
export interface IntakeState {
  draining: boolean;
  notReady: string | null;
  storageRefusal: string | null;
  cluster: { node: string; role: 'executor' | 'standby'; executor: string | null } | null;
}

/** Given to the worker at its start (workerData). */
export interface IntakeWorkerData {
  /** The journal's file path or PostgreSQL URL: the main thread opened it (and migrated) first. */
  location: string;
  listen: { port: number; host: string };
  config: IntakeConfig;
  settings: Settings;
  secret: string;
  state: IntakeState;
  /** The tunnel's peers, in shared memory (tunnel/tunnel-peers.ts PeerMirror). */
  peers: SharedArrayBuffer;
}

export type ToIntake =
  | { t: 'state'; state: IntakeState }
  | { t: 'redact'; value: string }
  | { t: 'settings'; settings: Settings }
  /** Wait up to `ms` for the requests in flight; answered with `settled`. */
  | { t: 'settle'; id: number; ms: number }
  /** Write the rejection summaries and wait for every submitted alert to be durable. */
  | { t: 'drain'; id: number }
  /** Close the listener and the journal connection, then end. */
  | { t: 'close'; id: number };

export type FromIntake =
  | { t: 'listening'; port: number }
  | { t: 'failed'; message: string; code?: string }
  /** A batch is durable (committed and fsynced): the main thread dispatches it to execution. */
  | { t: 'recorded'; results: RecordResult[] }
  | { t: 'answers'; answers: [ms: number, outcome: string, status: number][] }
  | { t: 'log'; level: LogLevel; obj: Record<string, unknown>; msg: string }
  | { t: 'writeError'; error: { message: string; code?: string } }
  | { t: 'done'; id: number; unanswered?: number };
