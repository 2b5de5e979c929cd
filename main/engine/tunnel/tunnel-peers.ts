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
  private readonly mirrors = new Set<Int32Array>();
  private poolSizeNow = 0;

  /** The connected client's pool size (the server's max_conn_count); 0 while not connected. */
  get pool(): number {
    return this.poolSizeNow;
  }

  set pool(n: number) {
    this.poolSizeNow = n;
    for (const m of this.mirrors) Atomics.store(m, POOL_SLOT, n);
  }

  /** A local connection the tunnel client opened: known until it closes. */
  track(local: Socket): void {
    const key = peerKey(local.localAddress, local.localPort);
    if (!key || local.destroyed) return;
    this.peers.add(key);
    for (const m of this.mirrors) mirrorPeer(m, key, true);
    local.once('close', () => {
      this.peers.delete(key);
      for (const m of this.mirrors) mirrorPeer(m, key, false);
    });
  }

  isTunnelPeer(remoteAddress: string, remotePort: number): boolean {
    return this.peers.size > 0 && this.peers.has(`${remoteAddress}:${remotePort}`);
  }

  poolSize(): number {
    return this.poolSizeNow;
  }

  mirror(into: Int32Array): () => void {
    this.mirrors.add(into);
    Atomics.store(into, POOL_SLOT, this.poolSizeNow);
    for (const key of this.peers) mirrorPeer(into, key, true);
    return () => {
      this.mirrors.delete(into);
      into.fill(0);
    };
  }
}

/**
 * The tunnel's peers as another thread sees them: one slot per local port, holding which loopback
 * address holds it, in shared memory. The tunnel's thread writes a peer before its connection
 * carries a byte, so the intake thread never reads a request from a peer it does not know yet.
 */
export class PeerMirror implements TunnelPeers {
  readonly slots: Int32Array;

  constructor(buffer: SharedArrayBuffer = new SharedArrayBuffer(SLOTS * Int32Array.BYTES_PER_ELEMENT)) {
    this.slots = new Int32Array(buffer);
  }

  get buffer(): SharedArrayBuffer {
    return this.slots.buffer as SharedArrayBuffer;
  }

  isTunnelPeer(remoteAddress: string, remotePort: number): boolean {
    const held = remotePort > 0 && remotePort < 65536 ? Atomics.load(this.slots, remotePort) : 0;
    return held !== 0 && held === addressCode(remoteAddress);
  }

  poolSize(): number {
    return Atomics.load(this.slots, POOL_SLOT);
  }
}

/** Slot 0 holds the pool size; slot N the address code of the peer at local port N. */
const POOL_SLOT = 0;
const SLOTS = 65536;

function mirrorPeer(m: Int32Array, key: string, present: boolean): void {
  const at = key.lastIndexOf(':');
  const port = Number(key.slice(at + 1));
  if (port > 0 && port < SLOTS) Atomics.store(m, port, present ? addressCode(key.slice(0, at)) : 0);
}

/** The tunnel client connects to a loopback address: the two usual ones, and any other as one code. */
function addressCode(address: string): number {
  if (address === '127.0.0.1') return 1;
  if (address === '::1') return 2;
  return address ? 3 : 0;
}

function peerKey(address: string | undefined, port: number | undefined): string | null {
  if (!address || !port) return null;
  const plain = address.startsWith('::ffff:') ? address.slice(7) : address;
  return `${plain}:${port}`;
}
