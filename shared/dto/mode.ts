/**
 * The trading mode. It travels with keys, venues and journal rows, so testnet keys never reach a live order.
 * Data shapes that cross the engine boundary: plain JSON, no classes, no Dates.
 */

export const MODES = ['paper', 'testnet', 'live'] as const;
export type Mode = (typeof MODES)[number];
