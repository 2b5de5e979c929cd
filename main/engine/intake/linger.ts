import type { Socket } from 'node:net';

/**
 * Closes a connection gently after an answer sent before the request body was read (a 413 from
 * the Content-Length, say). Node's default for `Connection: close` destroys the socket as soon as
 * the answer is flushed; the body bytes the client is still sending then meet a TCP reset, its
 * write fails with EPIPE and the reset can discard the answer it has not read yet, so the sender
 * sees a dropped connection instead of the reason. Here only our side is closed (FIN after the
 * answer) and what still arrives is read and thrown away, until the client closes or `ms` pass.
 */
export function lingerOnClose(socket: Socket, ms: number): void {
  const s = socket as Socket & { destroySoon?: () => void };
  // Node's HTTP server calls socket.destroySoon() once a `Connection: close` answer has finished.
  s.destroySoon = function lingeringClose(this: Socket): void {
    if (this.writable) this.end();
    const timer = setTimeout(() => this.destroy(), ms);
    timer.unref();
    this.once('close', () => clearTimeout(timer));
  };
}
