import type { AlertLatencyDto } from '../../../shared/api.js';
import { useApi } from '../api/api-context.js';
import { QueryView } from '../components/query-view.js';
import { isLedgerEvent, useQuery } from '../hooks/use-query.js';
import { fmtMs, fmtTime } from '../lib/format.js';

const STEPS: { key: keyof AlertLatencyDto; label: string; none: string }[] = [
  { key: 'firedAt', label: 'Fired on TradingView', none: 'not in the message: add "timenow": "{{timenow}}"' },
  { key: 'receivedAt', label: 'Received', none: '—' },
  { key: 'answeredAt', label: 'Answered (on disk)', none: 'not recorded' },
  { key: 'sentAt', label: 'Order sent', none: 'no order sent' },
  { key: 'ackedAt', label: 'Exchange acknowledged', none: 'no answer from the exchange' },
  { key: 'filledAt', label: 'Filled', none: 'not filled' },
];

/** Where this alert's time went: each step, and the time since the step before it. */
export function LatencyTimeline({ alertId }: { alertId: string }) {
  const api = useApi();
  const q = useQuery(() => api.getAlertLatency({ id: alertId }), [alertId], { refreshOn: isLedgerEvent });
  return (
    <section className="panel" aria-labelledby="latency-timeline">
      <h2 id="latency-timeline">Where the time went</h2>
      <QueryView query={q} isEmpty={(l) => l === null} empty={{ title: 'Nothing to time', body: 'Only accepted alerts are timed.' }}>
        {(l) => l && <Timeline l={l} />}
      </QueryView>
    </section>
  );
}

function Timeline({ l }: { l: AlertLatencyDto }) {
  let previous: number | null = null;
  const start = l.firedAt ?? l.receivedAt;
  const end = l.filledAt ?? l.ackedAt ?? l.sentAt ?? l.answeredAt ?? l.receivedAt;
  return (
    <>
      <ol className="timeline" data-testid="latency-timeline">
        {STEPS.map((s) => {
          const at = l[s.key] as number | null;
          const step = at !== null && previous !== null ? at - previous : null;
          if (at !== null) previous = at;
          return (
            <li key={s.key} className={at === null ? 'muted' : undefined} data-step={s.key}>
              <span className="timeline-label">{s.label}</span>
              <span className="timeline-time mono">{at === null ? s.none : fmtTime(at)}</span>
              <span className="timeline-step" data-testid={`latency-${s.key}`}>
                {step === null ? '' : `+${fmtMs(Math.max(0, step))}`}
              </span>
            </li>
          );
        })}
      </ol>
      <p className="small" data-testid="latency-total">
        {l.firedAt !== null ? 'From TradingView firing' : 'From receipt'} to {l.filledAt !== null ? 'fill' : 'the last step'}: <strong>{fmtMs(Math.max(0, end - start))}</strong>
        {l.firedAt !== null && <span className="muted"> · TradingView's own delay {fmtMs(Math.max(0, l.receivedAt - l.firedAt))}</span>}
      </p>
    </>
  );
}
