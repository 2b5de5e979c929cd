import type { ReactNode } from 'react';
import type { Query } from '../hooks/use-query.js';
import { EmptyState } from './empty-state.js';
import { ErrorBox } from './error-box.js';
import { Loading } from './loading.js';

/** Loading, error and empty states for a query, in one place, so every view has all three. */
export function QueryView<T>({
  query,
  isEmpty,
  empty,
  children,
}: {
  query: Query<T>;
  isEmpty?: (data: T) => boolean;
  empty?: { title: string; body?: ReactNode };
  children: (data: T) => ReactNode;
}) {
  if (query.loading) return <Loading />;
  if (query.data === undefined) return <ErrorBox error={query.error} onRetry={query.reload} />;
  return (
    <>
      {query.error != null && <ErrorBox error={query.error} title="Could not refresh" onRetry={query.reload} />}
      {isEmpty?.(query.data) && empty ? <EmptyState title={empty.title}>{empty.body}</EmptyState> : children(query.data)}
    </>
  );
}
