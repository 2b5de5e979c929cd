/**
 * `pb` + the alert's ULID (26) + `-` + leg: at most 32 characters of [A-Za-z0-9-], the same on every
 * try and after every restart, so the exchange can be asked whether it has the order.
 */
export function clientOrderId(alertId: string, leg: number): string {
  return `pb${alertId}-${leg}`;
}
