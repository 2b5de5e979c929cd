/**
 * What both PostgreSQL connections of the journal share (the synchronous store, pg-store.ts, and
 * the intake's asynchronous one, pg-async.ts): libpq's binding, loaded on first use, the type
 * parsers, the session settings, and how a URL is kept out of messages.
 */
import { createRequire } from 'node:module';
import type Client from 'pg-native';
import pgTypes from 'pg-types';
import { maskDatabaseUrl } from './database-url.js';

/** A lost connection cannot be reconnected sooner than this after the last attempt. */
export const RECONNECT_MS = 500;

/** libpq's PQtransactionStatus when the connection is gone (PQTRANS_UNKNOWN). */
export const CONNECTION_LOST = 4;

/** Every commit durable when it returns; a statement or a lock never waits forever. */
export const SESSION_SETTINGS = `SET synchronous_commit = on; SET client_min_messages = warning; SET statement_timeout = 30000; SET lock_timeout = 5000`;

/**
 * libpq's binding is loaded on the first PostgreSQL connection only: a SQLite journal (the desktop
 * app, built for Electron's ABI) never loads it.
 */
let PgClient: typeof Client | null = null;
function clientClass(): typeof Client {
  PgClient ??= createRequire(import.meta.url)('pg-native') as typeof Client;
  return PgClient;
}

/** As better-sqlite3 answers: numbers for BIGINT, NUMERIC (sums, counts) and booleans. */
const types = {
  getTypeParser(oid: number, format?: string): (value: string) => unknown {
    if (oid === 20 || oid === 1700) return Number;
    if (oid === 16) return (v: string) => (v === 't' ? 1 : 0);
    return pgTypes.getTypeParser(oid, format as 'text');
  },
};

export function newClient(): Client {
  return new (clientClass())({ types });
}

/**
 * libpq's binding closes its socket watcher with uv_close and lets the connection be collected at
 * once: collected before libuv's close phase, the process aborts (uv__finish_close). Holding the
 * ended client for a while lets the close finish first. 20 ms was not enough once connections
 * were lost in numbers (a PostgreSQL outage with the intake's asynchronous connections: about
 * one run in three of test/intake/postgres-intake.test.ts aborted); 5 s has not aborted since.
 */
export function endClient(c: Client): void {
  try {
    c.end();
  } catch {
    // already gone
  }
  setTimeout(() => void c, 5000).unref();
}

export function withConnectTimeout(url: string): string {
  if (/[?&]connect_timeout=/.test(url)) return url;
  return `${url}${url.includes('?') ? '&' : '?'}connect_timeout=3`;
}

/** libpq's message with the URL (and its password) masked. */
export function scrubbedMessage(e: unknown, url: string): string {
  return String((e as Error)?.message ?? e)
    .split(url)
    .join(maskDatabaseUrl(url))
    .trim();
}
