import type { AlertStatus } from '../../../shared/api.js';

const LABEL: Record<AlertStatus, string> = {
  accepted: 'accepted',
  executing: 'executing',
  executed: 'executed',
  failed: 'failed',
  skipped: 'skipped',
  rejected: 'rejected',
  duplicate: 'duplicate',
};

export function AlertStatusChip({ status }: { status: AlertStatus }) {
  return <span className={`chip status-${status}`}>{LABEL[status] ?? status}</span>;
}
