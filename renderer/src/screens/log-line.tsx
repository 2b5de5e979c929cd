import type { LogEntryDto } from '../../../shared/api.js';
import { maskSecrets } from '../lib/log-filter.js';

function fields(e: LogEntryDto): string {
  if (!e.data) return '';
  const rest = { ...e.data };
  for (const k of ['strategy', 'alertId', 'msg', 'level', 'time']) delete rest[k];
  const keys = Object.keys(rest);
  if (keys.length === 0) return '';
  // Numbers as a person writes them: 0.30000000000000004 is 0.3.
  return JSON.stringify(maskSecrets(rest), (_k, v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(12)) : v));
}

export function LogLine({ entry }: { entry: LogEntryDto }) {
  const extra = fields(entry);
  return (
    <div className={`log-line level-${entry.level}`} data-testid="log-line">
      <time dateTime={new Date(entry.time).toISOString()}>{new Date(entry.time).toLocaleTimeString('en-GB', { hour12: false })}</time>
      <span className={`level level-${entry.level}`}>{entry.level}</span>
      <span className="msg">
        {entry.msg}
        {entry.strategy && <span className="tag">{entry.strategy}</span>}
        {entry.alertId && (
          <a className="tag" href={`#/alerts/${encodeURIComponent(entry.alertId)}`}>
            alert
          </a>
        )}
        {extra && <span className="fields">{extra}</span>}
      </span>
    </div>
  );
}
