/**
 * How the legs of an alert's orders are numbered (the `-<leg>` of `pb<alertId>-<leg>`), and what
 * each order is for, in words: the engine numbers them, the UI names them.
 * - 0..99: the alert's own orders (entries, exits, limit legs).
 * - 100 + 3 * entry leg + 0/1/2: an entry's stop-loss / take-profit / trailing stop.
 * - 1000 + 40 * entry leg + k: take-profit ladder level k (1..10); + 10 + n: the stop-loss for
 *   the rest after n levels filled; + 20 + n: the trailing stop then.
 * - 5000 + 100 * entry leg + 20 * g + k: on spot, take-profit level k (1..10) as one OCO list with
 *   its own stop-loss (+ 10 + k); g = 0 as placed with the entry, g = 1 re-placed at breakeven.
 */
export function protectiveLeg(entryLeg: number, kind: 'stop_loss' | 'take_profit' | 'trailing_stop'): number {
  return 100 + entryLeg * 3 + (kind === 'stop_loss' ? 0 : kind === 'take_profit' ? 1 : 2);
}

export function ladderLeg(entryLeg: number, kind: 'take_profit' | 'stop_loss' | 'trailing_stop', n: number): number {
  return 1000 + entryLeg * 40 + (kind === 'take_profit' ? 0 : kind === 'stop_loss' ? 10 : 20) + n;
}

const OCO_LADDER = 5000;

/** A spot ladder level's OCO list: its take-profit or its stop-loss, as placed (g 0) or at breakeven (g 1). */
export function ocoLadderLeg(entryLeg: number, kind: 'take_profit' | 'stop_loss', level: number, g: 0 | 1): number {
  return OCO_LADDER + entryLeg * 100 + g * 20 + (kind === 'take_profit' ? 0 : 10) + level;
}

/** The ladder level (1-based) and generation of a spot OCO ladder leg, or null for any other leg. */
export function ocoLadderPartOf(leg: number): { level: number; g: 0 | 1 } | null {
  if (leg < OCO_LADDER) return null;
  const r = (leg - OCO_LADDER) % 100;
  return { level: r % 10 || 10, g: r > 20 ? 1 : 0 };
}

/** The entry leg a protective leg belongs to. */
export function entryLegOf(leg: number): number {
  if (leg >= OCO_LADDER) return Math.floor((leg - OCO_LADDER) / 100);
  return leg >= 1000 ? Math.floor((leg - 1000) / 40) : Math.floor((leg - 100) / 3);
}

/** Which ladder level a take-profit leg is (1-based), or null for a single take-profit. */
export function ladderLevelOf(leg: number): number | null {
  const oco = ocoLadderPartOf(leg);
  if (oco) return oco.level;
  if (leg < 1000) return null;
  const r = (leg - 1000) % 40;
  return r >= 1 && r <= 10 ? r : null;
}

/** After how many ladder levels a stop-loss / trailing stop leg was placed (null: with the entry). */
export function ladderStepOf(leg: number): number | null {
  if (leg < 1000 || leg >= OCO_LADDER) return null;
  const r = (leg - 1000) % 40;
  return r > 10 ? r % 10 || 10 : null;
}

const NAMES: Record<string, string> = { entry: 'entry', exit: 'exit', stop_loss: 'stop-loss', take_profit: 'take-profit', trailing_stop: 'trailing stop' };

/** "take-profit 2 of 3", "stop-loss (rest after TP 1)", "entry": what an order is for. */
export function orderRole(o: { purpose: string; leg: number }, levels?: number): string {
  const name = NAMES[o.purpose] ?? o.purpose;
  const level = o.purpose === 'take_profit' ? ladderLevelOf(o.leg) : null;
  if (level !== null) return `${name} ${level}${levels ? ` of ${levels}` : ''}`;
  const oco = o.purpose === 'stop_loss' ? ocoLadderPartOf(o.leg) : null;
  if (oco) return `${name} of take-profit ${oco.level}'s OCO list${oco.g === 1 ? ', at breakeven' : ''}`;
  const step = o.purpose === 'stop_loss' || o.purpose === 'trailing_stop' ? ladderStepOf(o.leg) : null;
  return step !== null ? `${name} (rest after TP ${step})` : name;
}
