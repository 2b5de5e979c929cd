import { useState } from 'react';
import type { ProbeReportDto } from '../../../shared/api.js';
import { useApi } from '../api/api-context.js';
import { errorMessage } from '../api/api-error.js';
import { Field } from '../components/field.js';

const STATUS: Record<ProbeReportDto['steps'][number]['status'], string> = { ok: 'ok', failed: 'failed', not_supported: 'not supported' };

/**
 * "Check this exchange": the conformance probe (probeExchange) with the account's testnet keys:
 * a far-from-market order placed, found and cancelled by its clientOrderId, reduce-only, trigger
 * orders, position mode, balances; each step ok / failed / not supported. It cancels what it placed.
 */
export function ProbePanel({ account = 'main' }: { account?: string }) {
  const api = useApi();
  const [symbol, setSymbol] = useState('BTC/USDT');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [report, setReport] = useState<ProbeReportDto | null>(null);
  return (
    <div className="probe-panel">
      <p className="hint">
        With your <strong>testnet</strong> keys, Pinebridge can check that this exchange does what exactly-once trading needs. It places a limit order far
        from the market, finds and cancels it by its own id, and cancels everything it placed.
      </p>
      <div className="grid-2">
        <Field label="Market to check" hint="ccxt symbol: BTC/USDT, or BTC/USDT:USDT for a perpetual" value={symbol} onChange={(e) => setSymbol(e.target.value.trim())} />
      </div>
      <div className="actions">
        <button
          type="button"
          className="secondary"
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            setError(null);
            try {
              setReport(await api.probeExchange({ account, symbol }));
            } catch (e) {
              setError(errorMessage(e));
            } finally {
              setBusy(false);
            }
          }}
        >
          {busy ? 'Checking the exchange…' : 'Check this exchange'}
        </button>
      </div>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      {report && (
        <div data-testid="probe-report">
          <p className={report.ok ? 'ok-text' : 'error-text'}>
            {report.ok
              ? `${report.exchange} testnet passed every check on ${report.symbol}; nothing was left open.`
              : report.leftOpen.length
                ? `Some checks failed, and these orders are still open: ${report.leftOpen.join(', ')}. Cancel them on the exchange.`
                : `Some checks failed on ${report.exchange} testnet (${report.symbol}); nothing was left open.`}
          </p>
          <table className="probe-table">
            <tbody>
              {report.steps.map((s, i) => (
                <tr key={`${s.step}-${i}`} className={`probe-${s.status}`}>
                  <td>{s.step.replace(/_/g, ' ')}</td>
                  <td>{STATUS[s.status]}</td>
                  <td>{s.detail}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
