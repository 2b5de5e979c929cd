/**
 * The ccxt client's request throttle, as a token bucket that refills while idle.
 *
 * ccxt's own (`enableRateLimit`) only refills while requests are queued, so an order arriving
 * after a quiet spell still waits out its full cost (~10 ms per order on Binance, however far
 * apart the orders are). Here the bucket fills with time up to `capacity`: a request finds its
 * tokens and goes at once, a burst up to the capacity goes at once, and beyond that requests
 * wait in arrival order (FIFO, so orders leave in the order they were sent) at the sustained rate.
 */

/** Float dust: 50 × (1/50) ms of refill is one whole token. */
const EPS = 1e-9;

export class TokenBucket {
  private tokens: number;
  private last: number;
  private readonly waiting: { cost: number; go: () => void }[] = [];
  private timer: NodeJS.Timeout | null = null;

  /** `perMs`: sustained tokens per millisecond; `capacity`: the burst. */
  constructor(
    private readonly perMs: number,
    private readonly capacity: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = capacity;
    this.last = now();
  }

  /** Resolves when the request may go; costs above the capacity go once the bucket is full (it then runs negative). */
  take(cost = 1): Promise<void> {
    this.refill();
    if (this.waiting.length === 0 && this.tokens + EPS >= Math.min(cost, this.capacity)) {
      this.tokens -= cost;
      return Promise.resolve();
    }
    return new Promise((go) => {
      this.waiting.push({ cost, go });
      this.arm();
    });
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + (t - this.last) * this.perMs);
    this.last = t;
  }

  private arm(): void {
    const head = this.waiting[0];
    if (this.timer || !head) return;
    const missing = Math.min(head.cost, this.capacity) - this.tokens;
    this.timer = setTimeout(() => this.release(), Math.max(0, Math.ceil((missing - EPS) / this.perMs)));
  }

  private release(): void {
    this.timer = null;
    this.refill();
    for (let head = this.waiting[0]; head && this.tokens + EPS >= Math.min(head.cost, this.capacity); head = this.waiting[0]) {
      this.tokens -= head.cost;
      this.waiting.shift();
      head.go();
    }
    this.arm();
  }
}

/**
 * ccxt's `rateLimit` (ms per unit of cost) is the exchange's sustained rate; the burst is one
 * second of it (at least 3 requests, at most 20): well inside every exchange's per-minute and
 * per-10-second windows, which ccxt's rate already stays under with room to spare.
 */
export function bucketFor(rateLimitMs: number): TokenBucket {
  const ms = rateLimitMs > 0 ? rateLimitMs : 50;
  return new TokenBucket(1 / ms, Math.min(20, Math.max(3, 1000 / ms)));
}
