import type { IncomingMessage } from 'node:http';

export class BodyError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Reads the whole body as UTF-8, refusing more than `limit` bytes or a body slower than
 * `timeoutMs`; `signal` ends the read early with its reason (a BodyError).
 */
export function readBody(req: IncomingMessage, limit: number, timeoutMs: number, signal?: AbortSignal): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return Promise.reject(tooLarge(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (err: Error | null, text?: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      if (err) {
        req.resume();
        reject(err);
      } else resolve(text ?? '');
    };
    const onData = (c: Buffer) => {
      size += c.length;
      if (size > limit) finish(tooLarge(limit));
      else chunks.push(c);
    };
    const onEnd = () => finish(null, Buffer.concat(chunks, size).toString('utf8'));
    const onError = (e: Error) => finish(new BodyError(400, 'body_error', `The request body could not be read: ${e.message}`));
    const timer = setTimeout(
      () => finish(new BodyError(408, 'body_timeout', `The request body did not arrive within ${timeoutMs / 1000} s.`)),
      timeoutMs,
    );
    const onAbort = () => finish(signal?.reason instanceof BodyError ? signal.reason : new BodyError(408, 'body_timeout', 'The request body did not arrive in time.'));
    signal?.addEventListener('abort', onAbort);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

function tooLarge(limit: number): BodyError {
  return new BodyError(413, 'body_too_large', `The alert is larger than ${Math.round(limit / 1024)} KiB. Alert messages are small JSON objects.`);
}
