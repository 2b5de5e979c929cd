/** ccxt's structures -> the Venue port's. */
import type { MarketInterface, Order, Trade } from 'ccxt';
import type { VenueMarket, VenueOrder, VenueOrderRequest, VenueTrade } from '../core/ports.js';

function num(v: unknown): number | null {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
}

export function toVenueMarket(m: MarketInterface): VenueMarket {
  return {
    symbol: m.symbol,
    id: m.id ?? m.symbol,
    base: m.base,
    quote: m.quote,
    settle: m.settle ?? null,
    type: (m.type ?? 'spot') as VenueMarket['type'],
    contract: m.contract === true,
    contractSize: num(m.contractSize),
    active: m.active !== false,
    precision: { amount: num(m.precision?.amount), price: num(m.precision?.price) },
    limits: {
      amount: { min: num(m.limits?.amount?.min), max: num(m.limits?.amount?.max) },
      cost: { min: num(m.limits?.cost?.min), max: num(m.limits?.cost?.max) },
    },
  };
}

export function toVenueOrder(o: Order, req?: VenueOrderRequest): VenueOrder {
  const fees = ((o as { fees?: { cost?: number; currency?: string }[] }).fees ?? []).filter((f) => f && f.cost !== undefined);
  const fee = o.fee?.cost !== undefined && o.fee.currency ? { cost: o.fee.cost, currency: o.fee.currency } : null;
  const sameCurrency = fees.length > 0 && fees.every((f) => f.currency === fees[0]?.currency);
  return {
    id: String(o.id),
    clientOrderId: o.clientOrderId ?? req?.clientOrderId ?? null,
    symbol: o.symbol ?? req?.symbol ?? '',
    side: (o.side ?? req?.side ?? 'buy') as VenueOrder['side'],
    type: o.type ?? req?.type ?? 'market',
    status: (o.status ?? 'open') as VenueOrder['status'],
    amount: o.amount ?? req?.amount ?? 0,
    filled: o.filled ?? 0,
    price: o.price ?? null,
    average: o.average ?? (o.filled && o.cost ? o.cost / o.filled : null),
    fee: fee ?? (sameCurrency ? { cost: fees.reduce((s, f) => s + (f.cost ?? 0), 0), currency: fees[0]?.currency as string } : null),
    timestamp: o.timestamp ?? null,
  };
}

export function toVenueTrade(t: Trade): VenueTrade {
  return {
    id: String(t.id),
    orderId: String(t.order),
    amount: t.amount ?? 0,
    price: t.price ?? 0,
    fee: t.fee?.cost !== undefined && t.fee.currency ? { cost: t.fee.cost, currency: t.fee.currency } : null,
    timestamp: t.timestamp ?? 0,
  };
}
