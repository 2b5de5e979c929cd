import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerClientError } from './answers.js';

/** Headers of a webhook request must have arrived within this, ms. */
export const HEADERS_TIMEOUT_MS = 3_000;

/**
 * The webhook's HTTP listener around the Koa app's handler: timeouts that free a stalled
 * connection, JSON answers for requests Node's parser refuses, and a deep listen backlog.
 * Resolves once listening, with the bound port (0 asks the OS for a free one).
 */
export async function listenWebhook(handler: RequestListener, at: { port: number; host: string }): Promise<{ server: Server; port: number }> {
  const server = createServer(
    {
      keepAliveTimeout: 5000,
      requestTimeout: 15_000,
      // TradingView sends its headers in one piece and gives up after 3 s: headers still
      // arriving after that are a slow-loris, and the connection is freed. Node checks these
      // deadlines on an interval (30 s by default, which would let a stalled request live on).
      headersTimeout: HEADERS_TIMEOUT_MS,
      connectionsCheckingInterval: 500,
    },
    handler,
  );
  server.on('clientError', answerClientError);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // A deep backlog: every TradingView alert is a new connection, and a burst must not be
    // dropped by the kernel's listen queue.
    server.listen({ port: at.port, host: at.host, backlog: 4096 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return { server, port: (server.address() as AddressInfo).port };
}

/** Closes the listener: idle connections at once, the rest after a second. */
export function closeWebhook(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 1000).unref();
  });
}

/** The host part of a local URL for a listen address (wildcards become loopback). */
export function hostForUrl(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
