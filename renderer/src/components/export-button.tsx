import { useState } from 'react';
import { useApi } from '../api/api-context.js';
import { errorMessage } from '../api/api-error.js';

/** Downloads the trades (fills with fees and P&L per strategy) as CSV, for accounting and taxes. */
export function ExportButton({ strategy, summary }: { strategy?: string; summary?: boolean }) {
  const api = useApi();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <span className="export">
      <button
        type="button"
        className="secondary small-button"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          setError(null);
          try {
            const file = await api.exportTrades({ format: 'csv', ...(strategy ? { strategy } : {}), ...(summary ? { summary } : {}) });
            const url = URL.createObjectURL(new Blob([file.content], { type: file.contentType }));
            const a = document.createElement('a');
            a.href = url;
            a.download = file.filename;
            a.click();
            setTimeout(() => URL.revokeObjectURL(url), 10_000);
          } catch (e) {
            setError(errorMessage(e));
          } finally {
            setBusy(false);
          }
        }}
      >
        {busy ? 'Preparing…' : summary ? 'Download P&L summary (CSV)' : 'Download trades (CSV)'}
      </button>
      {error && <span className="error-text small"> {error}</span>}
    </span>
  );
}
