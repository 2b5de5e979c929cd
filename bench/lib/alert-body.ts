/** The benches' alert: one market, ten strategies, buys and sells alternating, a unique id each. */
export const BENCH_SECRET = 'bench-secret-0123456789abcdefghij';

let seq = 0;
export const alertBody = (tag: string) => (i: number) =>
  JSON.stringify({
    secret: BENCH_SECRET,
    strategy: `s${i % 10}`,
    action: i % 2 ? 'sell' : 'buy',
    symbol: 'BINANCE:BTCUSDT',
    quantity: '0.001',
    price: '65000',
    id: `${tag}-${i}-${seq++}`,
    time: new Date().toISOString(),
  });
