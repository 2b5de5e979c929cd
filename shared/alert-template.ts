/**
 * The TradingView alert message and Pine Script snippet the setup wizard shows for a strategy.
 * Pure, so the UI and the engine (test alerts) build the same message.
 */
import type { StrategyDto } from './dto/settings.js';

export interface AlertTemplateInput {
  strategy: Pick<StrategyDto, 'name' | 'quantity' | 'orderType' | 'symbol'>;
  secret: string;
}

/**
 * What TradingView's strategy fields say, one line for the UI: why the message carries them.
 */
export const ROBUST_FIELDS_WHY =
  'The message carries the order\'s contracts and where the strategy ends up (market_position, position_size), so a reversal trades to the new side and a missed alert is caught.';

/**
 * The TradingView placeholders of the robust form: the order (action, contracts) and where the
 * strategy ends up (market_position, prev_market_position, position_size). With them Pinebridge
 * trades to TradingView's position (reversals, partial exits) and checks parity after each fill.
 */
export const STRATEGY_PLACEHOLDERS = {
  action: '{{strategy.order.action}}',
  contracts: '{{strategy.order.contracts}}',
  market_position: '{{strategy.market_position}}',
  prev_market_position: '{{strategy.prev_market_position}}',
  position_size: '{{strategy.position_size}}',
} as const;

/**
 * The alert message with TradingView placeholders: paste it into the alert's "Message" box. The
 * strategy's quantity is its default size, used by alerts that carry no contracts.
 */
export function alertMessage({ strategy, secret }: AlertTemplateInput): string {
  const msg: Record<string, string> = {
    secret,
    strategy: strategy.name,
    symbol: '{{exchange}}:{{ticker}}',
    ...STRATEGY_PLACEHOLDERS,
    order_type: strategy.orderType,
    price: '{{close}}',
    id: '{{strategy.order.id}}-{{timenow}}',
    time: '{{timenow}}',
  };
  return JSON.stringify(msg, null, 2);
}

/** A concrete alert (no placeholders) as TradingView would send it: used for test alerts. */
export function filledAlert(input: AlertTemplateInput & { action: string; price?: string; now: number }): Record<string, string> {
  const out: Record<string, string> = {
    secret: input.secret,
    strategy: input.strategy.name,
    action: input.action,
    symbol: input.strategy.symbol,
    quantity: input.strategy.quantity,
    order_type: input.strategy.orderType,
    id: `test-${input.now}`,
    time: new Date(input.now).toISOString(),
    comment: 'Pinebridge test alert',
  };
  if (input.price) out.price = input.price;
  if (input.strategy.orderType === 'limit' && !input.price) out.order_type = 'market';
  return out;
}

function pineString(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

/**
 * A Pine Script v6 strategy whose orders carry the alert message in `alert_message`. With it,
 * the TradingView alert's Message box only needs `{{strategy.order.alert_message}}`; TradingView
 * fills the placeholders inside it when the order fills. It reverses (long <-> short), so on spot
 * its shorts end flat.
 */
export function pineSnippet({ strategy, secret }: AlertTemplateInput): string {
  const fields =
    `"secret":"${pineString(secret)}","strategy":"${pineString(strategy.name)}","symbol":"{{exchange}}:{{ticker}}",` +
    Object.entries(STRATEGY_PLACEHOLDERS)
      .map(([k, v]) => `"${k}":"${v}"`)
      .join(',') +
    `,"order_type":"${strategy.orderType}","price":"{{close}}","id":"{{strategy.order.id}}-{{timenow}}","time":"{{timenow}}"`;
  return [
    '//@version=6',
    `strategy("${pineString(strategy.name)}", overlay = true)`,
    '',
    '// Pinebridge: each order sends this JSON to your webhook URL; TradingView fills the {{…}} when the order fills.',
    `pbMsg = '{${fields.replace(/'/g, "\\'")}}'`,
    '',
    'fast = ta.sma(close, 9)',
    'slow = ta.sma(close, 21)',
    'if ta.crossover(fast, slow)',
    '    strategy.entry("Long", strategy.long, alert_message = pbMsg)',
    'if ta.crossunder(fast, slow)',
    '    strategy.entry("Short", strategy.short, alert_message = pbMsg)',
    '',
    '// In the alert dialog: Condition = this strategy, Message = {{strategy.order.alert_message}}',
  ].join('\n');
}
