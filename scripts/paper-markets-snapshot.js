#!/usr/bin/env node
// Regenerates the snapshot of Binance's main markets that paper mode falls back to when the
// exchange cannot be reached (main/engine/venues/markets/binance.json): the most traded USDT spot
// pairs and USDT-settled perpetuals, with the exchange's own steps, minimum amounts and minimum
// order values. Public market data only (no keys), through ccxt:
//
//   node scripts/paper-markets-snapshot.js [--spot 150] [--perps 100] [--exchange-url URL] [--out FILE]
//
// `--exchange-url` sends the requests elsewhere (a proxy, the exchange simulator). Markets are
// ranked by 24 h quote volume when the exchange serves tickers, else taken in the exchange's order.
// Uses the built engine (dist/, `npm run build:main`): the same exchange setup paper mode uses.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createExchange, loadCcxt } from '../dist/main/engine/venues/ccxt-setup.js';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const spotCount = Number(opt('spot', '150'));
const perpCount = Number(opt('perps', '100'));
const url = opt('exchange-url', '');
const out = opt('out', fileURLToPath(new URL('../main/engine/venues/markets/binance.json', import.meta.url)));

const ex = await createExchange({
  exchangeId: 'binance',
  mode: 'live',
  credentials: null,
  exchangeUrl: url || undefined,
  timeoutMs: 30_000,
  options: { fetchMarkets: { types: ['spot', 'linear'] } },
});
const { version } = await loadCcxt();

try {
  await ex.loadMarkets();
} catch (e) {
  // No stack trace for the expected case: the exchange cannot be reached from here.
  console.error(`Could not read Binance's markets (${e instanceof Error ? e.message : e}): run this where Binance is reachable, or give --exchange-url. The shipped snapshot is unchanged.`);
  process.exit(1);
}
const markets = Object.values(ex.markets);
const spot = markets.filter((m) => m.spot && m.active !== false && m.quote === 'USDT');
const perps = markets.filter((m) => m.swap && m.linear && m.active !== false && m.settle === 'USDT' && m.quote === 'USDT');

/** 24 h quote volume per symbol, or null when the exchange does not say. */
async function volumes(type, symbols) {
  try {
    const t = await ex.fetchTickers(symbols, { type: type === 'spot' ? 'spot' : 'future' });
    return Object.fromEntries(Object.values(t).map((x) => [x.symbol, x.quoteVolume ?? 0]));
  } catch (e) {
    console.warn(`no ${type} tickers (${e.message.split('\n')[0]}): markets kept in the exchange's order`);
    return null;
  }
}
async function top(list, type, count) {
  const v = await volumes(type, list.map((m) => m.symbol));
  const ranked = v ? [...list].sort((a, b) => (v[b.symbol] ?? 0) - (v[a.symbol] ?? 0)) : list;
  return ranked.slice(0, count);
}

const row = (m) => ({
  symbol: m.symbol,
  id: m.id,
  step: m.precision.amount,
  tick: m.precision.price,
  minQty: m.limits.amount?.min ?? m.precision.amount,
  maxQty: m.limits.amount?.max ?? null,
  minNotional: m.limits.cost?.min ?? null,
});
const chosen = [...(await top(spot, 'spot', spotCount)), ...(await top(perps, 'perp', perpCount))];
const doc = {
  exchange: 'binance',
  takenAt: new Date().toISOString().slice(0, 10),
  source: `read from ${url || 'api.binance.com / fapi.binance.com'} by scripts/paper-markets-snapshot.js (ccxt ${version}): the ${spotCount} most traded USDT spot pairs and ${perpCount} USDT perpetuals`,
  markets: chosen.map(row),
};
// One market a line: small, and a diff shows which market changed.
const body = doc.markets.map((m) => `    ${JSON.stringify(m)}`).join(',\n');
const { markets: _m, ...head } = doc;
const text = JSON.stringify(head, null, 2).replace(/\n}$/, `,\n  "markets": [\n${body}\n  ]\n}\n`);
writeFileSync(out, text);
console.log(`${doc.markets.length} markets (${chosen.filter((m) => m.spot).length} spot, ${chosen.filter((m) => m.swap).length} perpetual) -> ${out}`);
