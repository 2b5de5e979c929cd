/**
 * The localtunnel client's own connections to the webhook listener. The client runs in this
 * process: each tunnel socket is piped to a local connection it opens to 127.0.0.1:<port>, and
 * that connection's local address and port are what the webhook listener sees as its peer. Only
 * a peer with exactly that address and port is the tunnel: another local process cannot connect
 * from a port our own open socket holds, so trusting the tunnel's X-Forwarded-For does not mean
 * trusting every loopback peer.
 */
import type { Socket } from 'node:net';
import type { TunnelPeers } from '../core/ports.js';

export class TunnelPeerSet implements TunnelPeers {
  private readonly peers = new Set<string>();
  /** The connected client's pool size (the server's max_conn_count); 0 while not connected. */
  pool = 0;

  /** A local connection the tunnel client opened: known until it closes. */
  track(local: Socket): void {
    const key = peerKey(local.localAddress, local.localPort);
    if (!key || local.destroyed) return;
    this.peers.add(key);
    local.once('close', () => this.peers.delete(key));
  }

  isTunnelPeer(remoteAddress: string, remotePort: number): boolean {
    return this.peers.size > 0 && this.peers.has(`${remoteAddress}:${remotePort}`);
  }

  poolSize(): number {
    return this.pool;
  }
}

function peerKey(address: string | undefined, port: number | undefined): string | null {
  if (!address || !port) return null;
  const plain = address.startsWith('::ffff:') ? address.slice(7) : address;
  return `${plain}:${port}`;
}
