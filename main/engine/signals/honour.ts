/**
 * After an alert is read and before it is journaled: which of its fields cannot be honoured on
 * the market it trades: a field that adds nothing there becomes a warning (leverage on spot).
 * Also stamps the semantics row, so the journal says how the alert was read.
 */
import type { Rejection } from './read-alert.js';
import { unusedOrderFields, type FieldContext } from './order-fields.js';
import { semanticsFor, type SemanticsContext } from './semantics.js';
import type { Signal } from './signal.js';

export interface HonourContext extends SemanticsContext, FieldContext {}

const EXIT_ACTIONS = new Set(['close', 'close_long', 'close_short', 'exit']);

export function honourSignal(s: Signal, ctx: HonourContext): { ok: true; signal: Signal } | { ok: false; rejection: Rejection } {
  const warnings = [...(s.warnings ?? [])];
  // The order fields' own rules (order-fields.ts): leverage on spot, time_in_force on a market
  // order... On derivatives leverage and margin mode are set before the order, or the alert is
  // refused there (execution/margin.ts): intake cannot ask the exchange before the 200.
  warnings.push(...unusedOrderFields(s, ctx));
  const row = semanticsFor(s, ctx);
  if (row.rule.kind === 'invalid') return { ok: false, rejection: { status: 400, code: 'missing_field', message: row.rule.message } };
  if (s.action && EXIT_ACTIONS.has(s.action) && row.rule.kind !== 'target') {
    for (const [name, v] of [
      ['stop_loss', s.stopLoss],
      ['take_profit', s.takeProfit ?? s.takeProfitLadder],
      ['trailing_stop', s.trailingStop],
      ['move_stop_to_breakeven_after', s.breakevenAfter],
      ['trailing_after', s.trailingAfter],
    ] as const) {
      if (v !== undefined) warnings.push(`${name} is not used on a ${s.action}: ignored`);
    }
  }
  if (s.action === 'cancel' && s.quantity) warnings.push('quantity is not used on a cancel: ignored');
  if (row.id === 'long' || row.id === 'short') {
    if (s.marketPosition !== undefined) warnings.push(`market_position is not used with action ${s.action}: ignored`);
  }
  const signal: Signal = { ...s, semantics: { row: row.id, dependsOnPosition: row.dependsOnPosition } };
  if (warnings.length) signal.warnings = [...new Set(warnings)];
  else delete signal.warnings;
  return { ok: true, signal };
}
