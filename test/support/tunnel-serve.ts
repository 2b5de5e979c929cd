/**
 * `pinebridge serve` (paper) exposed through the real localtunnel client and the local tunnel
 * server (test/support/tunnel-server.ts): for tests and benches of what arrives through a tunnel.
 */
import type { ServeProcess } from './serve-process.js';
import { spawnServe } from './serve-process.js';
import { startTunnelServer, type TestTunnelServer } from './tunnel-server.js';
import { writeSettings } from './live-serve.js';

export interface TunneledServe {
  serve: ServeProcess;
  tunnelServer: TestTunnelServer;
  /** The tunnel client's id on the tunnel server. */
  id: string;
  /** The public webhook URL: http://127.0.0.1:<port>/t/<id>/webhook */
  publicWebhookUrl: string;
  close(): Promise<void>;
}

export async function startTunneledServe(o: {
  dataDir: string;
  webhookSecret: string;
  maxConnCount: number;
  settings?: Record<string, unknown>;
}): Promise<TunneledServe> {
  const tunnelServer = await startTunnelServer({ maxConnCount: o.maxConnCount });
  const { webhook, ...rest } = o.settings ?? {};
  writeSettings(o.dataDir, {
    ...rest,
    webhook: webhook ?? {},
    tunnel: { provider: 'localtunnel', host: tunnelServer.url, probeIntervalSec: 3600 },
  });
  const serve = await spawnServe({
    dataDir: o.dataDir,
    args: ['--mode', 'paper', '--tunnel', 'localtunnel', '--log-level', 'warn'],
    env: { PINEBRIDGE_WEBHOOK_SECRET: o.webhookSecret },
  });
  const until = Date.now() + 20_000;
  let id: string | undefined;
  while (Date.now() < until) {
    id = tunnelServer.clientIds()[0];
    if (id && tunnelServer.connectedSockets(id) === o.maxConnCount) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  if (!id || tunnelServer.connectedSockets(id) !== o.maxConnCount) {
    await serve.stop();
    await tunnelServer.close();
    throw new Error(`the tunnel did not open its ${o.maxConnCount} sockets:\n${serve.output()}`);
  }
  return {
    serve,
    tunnelServer,
    id,
    publicWebhookUrl: `${tunnelServer.publicUrlFor(id)}/webhook`,
    async close() {
      await serve.stop();
      await tunnelServer.close();
    },
  };
}
