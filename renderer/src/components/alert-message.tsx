import { alertMessage, pineSnippet, ROBUST_FIELDS_WHY } from '../../../shared/alert-template.js';
import type { StrategyDto } from '../../../shared/api.js';
import { useApi } from '../api/api-context.js';
import { CodeBlock } from './code-block.js';
import { CopyButton } from './copy-button.js';
import { QueryView } from './query-view.js';
import { useAppState } from '../hooks/app-state.js';
import { useQuery } from '../hooks/use-query.js';

/** What to paste into TradingView for a strategy: the webhook URL, the alert message, a Pine snippet. */
export function AlertMessage({ strategy }: { strategy: StrategyDto }) {
  const api = useApi();
  const { tunnel } = useAppState();
  const q = useQuery(() => api.getWebhookInfo({}), [tunnel?.publicUrl]);
  return (
    <QueryView query={q}>
      {(info) => (
        <div className="alert-message" data-testid="alert-message">
          <ol className="steps-howto">
            <li>
              In TradingView, open your strategy&apos;s <em>Create alert</em> dialog, tab <em>Notifications</em>, tick <em>Webhook URL</em> and paste:
              <div className="url-row">
                <code className="url">{info.publicUrl ?? info.localUrl}</code>
                <CopyButton text={info.publicUrl ?? info.localUrl} />
              </div>
              {!info.publicUrl && <p className="warn-text small">This is the local URL: TradingView can only reach a public one. Start the tunnel first.</p>}
            </li>
            <li>
              Paste this into the alert&apos;s <em>Message</em> box. TradingView fills the <code>{'{{…}}'}</code> placeholders when it fires.
            </li>
          </ol>
          <CodeBlock label="Alert message" code={alertMessage({ strategy, secret: info.secret })} secret={info.secret} copyLabel="Copy message" />
          <p className="hint" data-testid="robust-fields-why">
            {ROBUST_FIELDS_WHY}
          </p>
          <details>
            <summary>Or use this Pine Script snippet (Message box: {'{{strategy.order.alert_message}}'})</summary>
            <CodeBlock label="Pine Script v6" code={pineSnippet({ strategy, secret: info.secret })} secret={info.secret} copyLabel="Copy script" />
            <p className="hint">It contains your webhook secret: keep the script private (do not publish it).</p>
          </details>
        </div>
      )}
    </QueryView>
  );
}
