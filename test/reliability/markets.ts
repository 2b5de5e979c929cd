/** The markets the reliability runs spread their alerts over (all listed by the exchange simulator). */
export const MARKETS = [
  { symbol: 'BINANCE:BTCUSDT', quantity: '0.001', price: '65000' },
  { symbol: 'ETHUSDT', quantity: '0.01', price: '3200' },
  { symbol: 'SOLUSDT', quantity: '0.1', price: '150' },
  { symbol: 'BNBUSDT', quantity: '0.02', price: '580' },
] as const;
