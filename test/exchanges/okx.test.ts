/**
 * OKX v5 (spot and USDT swaps) end to end: the trading suite, every exchange fault and kill -9,
 * through `pinebridge serve` and the real ccxt okx class against the OKX simulator (clOrdId of
 * alphanumerics only, algo orders for stop-loss / take-profit, a 30 s request validity, so the
 * resend guard after a lost answer is 31 s). The evidence behind the `verified` level of exchanges/okx.ts.
 */
import { crashSuite } from './crash-suite.js';
import { faultsSuite } from './faults-suite.js';
import { okxRig } from './okx-rig.js';
import { tradingSuite } from './trading-suite.js';

tradingSuite(okxRig);
faultsSuite(okxRig, { timeoutMs: 120_000 });
crashSuite(okxRig, { rounds: 2, burst: 16, timeoutMs: 120_000 });
