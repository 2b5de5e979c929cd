/**
 * The TradingView alert message and Pine Script snippet the setup wizard shows for a strategy.
 * Pure, so the UI and the engine (test alerts) build the same message.
 */
import type { StrategyDto } from './dto/settings.js';

export interface AlertTemplateInput {
  strategy: Pick<StrategyDto, 'name' | 'quantity' | 'orderType' | 'symbol'>;
  secret: string;
}

/** The alert message with TradingView placeholders: paste it into the alert's "Message" box. */
export function alertMessage({ strategy, secret }: AlertTemplateInput): string {
  const msg: Record<string, string> = {
    secret,
    strategy: strategy.name,
    action: '{{strategy.order.action}}',
    symbol: '{{exchange}}:{{ticker}}',
    quantity: strategy.quantity,
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
 * the TradingView alert's Message box only needs `{{strategy.order.alert_message}}`.
 */
export function pineSnippet({ strategy, secret }: AlertTemplateInput): string {
  const fixed =
    `"secret":"${pineString(secret)}","strategy":"${pineString(strategy.name)}",` +
    `"quantity":"${pineString(strategy.quantity)}","order_type":"${strategy.orderType}"`;
  return [
    '//@version=6',
    `strategy("${pineString(strategy.name)}", overlay = true)`,
    '',
    '// Pinebridge: each order sends this JSON to your webhook URL.',
    'pbMsg(string action) =>',
    `    '{${fixed.replace(/'/g, "\\'")},"action":"' + action + '","symbol":"' + syminfo.prefix + ':' + syminfo.ticker + '","price":"' + str.tostring(close) + '","id":"' + action + '-' + str.tostring(time) + '","time":"' + str.tostring(timenow) + '"}'`,
    '',
    'fast = ta.sma(close, 9)',
    'slow = ta.sma(close, 21)',
    'if ta.crossover(fast, slow)',
    '    strategy.entry("Long", strategy.long, alert_message = pbMsg("buy"))',
    'if ta.crossunder(fast, slow)',
    '    strategy.close("Long", alert_message = pbMsg("close"))',
    '',
    '// In the alert dialog: Condition = this strategy, Message = {{strategy.order.alert_message}}',
  ].join('\n');
}
