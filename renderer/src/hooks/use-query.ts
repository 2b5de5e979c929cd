import { useCallback, useEffect, useRef, useState } from 'react';
import type { EngineEvent } from '../../../shared/api.js';
import { useEngineEvents } from './use-events.js';

export interface Query<T> {
  data: T | undefined;
  error: unknown;
  /** True until the first answer (later reloads keep showing the data they replace). */
  loading: boolean;
  reload(): void;
}

export interface QueryOptions {
  /** Reload (debounced) when an engine event matches. */
  refreshOn?: (event: EngineEvent) => boolean;
  /** Also reload on a timer, ms. */
  intervalMs?: number;
}

/** Loads data from the API, reloads on matching engine events; stale answers are dropped. */
export function useQuery<T>(load: () => Promise<T>, deps: readonly unknown[], opts: QueryOptions = {}): Query<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({ data: undefined, error: null, loading: true });
  const seq = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const run = useCallback(() => {
    const mine = ++seq.current;
    loadRef.current().then(
      (data) => mine === seq.current && setState({ data, error: null, loading: false }),
      (error: unknown) => mine === seq.current && setState((s) => ({ data: s.data, error, loading: false })),
    );
  }, []);

  useEffect(() => {
    setState((s) => ({ ...s, loading: s.data === undefined }));
    run();
  }, deps);

  useEffect(() => {
    if (!opts.intervalMs) return;
    const t = setInterval(run, opts.intervalMs);
    return () => clearInterval(t);
  }, [opts.intervalMs, run]);

  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);

  useEngineEvents((e) => {
    if (!opts.refreshOn?.(e)) return;
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(run, 150);
  });

  return { ...state, reload: run };
}

/** Events after which ledger views (alerts, orders, fills, positions) may have changed. */
export function isLedgerEvent(e: EngineEvent): boolean {
  const t = e.type as string;
  return t.startsWith('alert.') || t.startsWith('order') || t.startsWith('fill') || t.startsWith('position');
}
