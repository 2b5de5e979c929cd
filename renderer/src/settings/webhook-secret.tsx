import { useState } from 'react';
import { useApi } from '../api/api-context.js';
import { CopyButton } from '../components/copy-button.js';
import { useQuery } from '../hooks/use-query.js';

/** The webhook secret that goes into every alert message: hidden until asked for. */
export function WebhookSecret() {
  const api = useApi();
  const q = useQuery(() => api.getWebhookInfo({}), []);
  const [shown, setShown] = useState(false);
  if (!q.data) return null;
  return (
    <div className="url-row">
      <span className="muted small">Webhook secret:</span>
      <code className="url">{shown ? q.data.secret : '•'.repeat(16)}</code>
      <button type="button" className="secondary small-button" onClick={() => setShown(!shown)} aria-pressed={shown}>
        {shown ? 'Hide' : 'Show'}
      </button>
      <CopyButton text={q.data.secret} />
    </div>
  );
}
