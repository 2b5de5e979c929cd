import { useEffect, useRef } from 'react';
import type { EngineEvent } from '../../../shared/api.js';
import { useClient } from '../api/api-context.js';

/** Calls `listener` for every engine event while the component is mounted (latest listener wins). */
export function useEngineEvents(listener: (event: EngineEvent) => void): void {
  const client = useClient();
  const ref = useRef(listener);
  ref.current = listener;
  useEffect(() => client.subscribe((e) => ref.current(e)), [client]);
}
