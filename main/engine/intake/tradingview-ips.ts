/**
 * TradingView's published webhook sender addresses (https://www.tradingview.com/support/solutions/43000529348/).
 * The only copy in the code: the allowlist (`webhook.allowTradingViewIpsOnly`) and its messages read it.
 */
export const TRADINGVIEW_WEBHOOK_IPS = ['52.89.214.238', '34.212.75.30', '54.218.53.128', '52.32.178.7'] as const;
