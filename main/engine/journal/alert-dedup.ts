/**
 * The duplicate rule's constants, shared by AlertStore.record (alerts.ts) and PostgreSQL's batch
 * function (pg-intake-sql.ts), so both paths lock the same keys and store the same reason.
 */

/** Seeds the hash of an idempotency key into the advisory-lock space Pinebridge uses for alerts. */
export const IDEM_LOCK_SEED = 19;

/** What a duplicate's row says. */
export function duplicateReason(firstId: string): string {
  return `Same alert as ${firstId}: not executed again.`;
}
