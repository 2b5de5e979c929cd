/**
 * Bybit v5 (unified account: spot and USDT perpetuals) end to end: the trading suite, every
 * exchange fault and kill -9, through `pinebridge serve` and the real ccxt bybit class against
 * the Bybit simulator. The evidence behind the `verified` level of exchanges/bybit.ts.
 */
import { tradingSuite } from './trading-suite.js';
import { bybitRig } from './bybit-rig.js';
import { crashSuite } from './crash-suite.js';
import { faultsSuite } from './faults-suite.js';

tradingSuite(bybitRig);
faultsSuite(bybitRig, { timeoutMs: 60_000 });
crashSuite(bybitRig, { rounds: 3, burst: 16, timeoutMs: 60_000 });
