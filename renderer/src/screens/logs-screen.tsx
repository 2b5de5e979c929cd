import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { LogEntryDto, LogLevel } from '../../../shared/api.js';
import { useApi } from '../api/api-context.js';
import { EmptyState } from '../components/empty-state.js';
import { ErrorBox } from '../components/error-box.js';
import { Loading } from '../components/loading.js';
import { useAppState } from '../hooks/app-state.js';
import { useEngineEvents } from '../hooks/use-events.js';
import { LEVELS, matchesFilter, type LogFilter } from '../lib/log-filter.js';
import { LogLine } from './log-line.js';

const KEEP = 2000;

/** Live logs: streamed from the engine, filtered by level, strategy and text; scroll can be paused. */
export function LogsScreen() {
  const api = useApi();
  const { settings } = useAppState();
  const [entries, setEntries] = useState<LogEntryDto[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [filter, setFilter] = useState<LogFilter>({ level: 'info', strategy: '', text: '' });
  const [follow, setFollow] = useState(true);
  const box = useRef<HTMLDivElement>(null);
  const pending = useRef<LogEntryDto[]>([]);

  const load = () => {
    setError(null);
    api.recentLogs({ limit: 1000 }).then(
      (r) => setEntries((cur) => mergeLogs(r, [...(cur ?? []), ...pending.current.splice(0)])),
      (e: unknown) => setError(e),
    );
  };
  useEffect(load, [api]);

  useEngineEvents((e) => {
    if (e.type !== 'log') return;
    if (entries === null) pending.current.push(e.entry);
    else setEntries((cur) => [...(cur ?? []), e.entry].slice(-KEEP));
  });

  const strategies = useMemo(() => {
    const s = new Set(settings?.strategies.map((x) => x.name) ?? []);
    for (const e of entries ?? []) if (e.strategy) s.add(e.strategy);
    return [...s].sort();
  }, [entries, settings]);

  const shown = useMemo(() => (entries ?? []).filter((e) => matchesFilter(e, filter)), [entries, filter]);

  useLayoutEffect(() => {
    if (follow && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [shown, follow]);

  return (
    <div className="screen logs-screen">
      <h1>Live logs</h1>
      <div className="toolbar" role="search">
        <label className="field inline">
          <span>Level</span>
          <select value={filter.level} onChange={(e) => setFilter({ ...filter, level: e.target.value as LogLevel })} aria-label="Minimum level">
            {LEVELS.map((l) => (
              <option key={l} value={l}>
                {l} and above
              </option>
            ))}
          </select>
        </label>
        <label className="field inline">
          <span>Strategy</span>
          <select value={filter.strategy} onChange={(e) => setFilter({ ...filter, strategy: e.target.value })} aria-label="Strategy">
            <option value="">all</option>
            {strategies.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label className="field inline grow">
          <span>Search</span>
          <input type="search" value={filter.text} placeholder="text in message or fields" onChange={(e) => setFilter({ ...filter, text: e.target.value })} aria-label="Search logs" />
        </label>
        <button type="button" className={follow ? 'secondary' : ''} onClick={() => setFollow(!follow)} aria-pressed={!follow}>
          {follow ? 'Pause scroll' : 'Resume scroll'}
        </button>
      </div>
      {error != null && <ErrorBox error={error} onRetry={load} />}
      {entries === null && error == null && <Loading />}
      {entries !== null && (
        <div
          className="log-box"
          ref={box}
          tabIndex={0}
          aria-label="Log lines"
          aria-live={follow ? 'polite' : 'off'}
          data-testid="log-box"
          onScroll={(e) => {
            const el = e.currentTarget;
            const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
            if (!atBottom && follow) setFollow(false);
          }}
        >
          {shown.length === 0 ? (
            <EmptyState title={entries.length === 0 ? 'No log lines yet' : 'No line matches the filter'} />
          ) : (
            shown.map((e, i) => <LogLine key={`${e.time}-${i}`} entry={e} />)
          )}
        </div>
      )}
      <p className="muted small">
        {shown.length} of {entries?.length ?? 0} lines. Secrets are removed by the engine before a line is written, and masked again here.
      </p>
    </div>
  );
}

/** The loaded history plus lines that arrived while it loaded, without repeats. */
function mergeLogs(history: LogEntryDto[], live: LogEntryDto[]): LogEntryDto[] {
  const seen = new Set(history.map((e) => `${e.time}|${e.msg}`));
  return [...history, ...live.filter((e) => !seen.has(`${e.time}|${e.msg}`))].slice(-KEEP);
}
