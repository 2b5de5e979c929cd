/** Talking to a `pinebridge serve` child: post alerts, query the control API. */
import { readFileSync } from 'node:fs';
import type { AlertDetailDto, AlertSummaryDto, OrderDto } from '../../shared/api.js';
import type { ServeProcess } from '../support/serve-process.js';

export const WEBHOOK_SECRET = 'serve-exec-test-webhook-secret-0123456789';

export async function postAlert(p: ServeProcess, body: Record<string, unknown>): Promise<string> {
  const res = await fetch(p.webhookUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ secret: WEBHOOK_SECRET, ...body }),
  });
  const json = (await res.json()) as { status?: string; alertId?: string };
  if (json.status !== 'accepted') throw new Error(`not accepted: ${res.status} ${JSON.stringify(json)}`);
  return json.alertId as string;
}

export async function command<T>(p: ServeProcess, name: string, args: Record<string, unknown> = {}): Promise<T> {
  const token = readFileSync(p.tokenFile, 'utf8').trim();
  const res = await fetch(new URL(`api/${name}`, p.controlUrl), {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(args),
  });
  const json = (await res.json()) as { ok: boolean; result?: T; error?: { message: string } };
  if (!json.ok) throw new Error(`${name}: ${json.error?.message}`);
  return json.result as T;
}

export const getAlert = (p: ServeProcess, id: string) => command<AlertDetailDto | null>(p, 'getAlert', { id });
export const listAlerts = (p: ServeProcess) => command<AlertSummaryDto[]>(p, 'listAlerts', { limit: 500 });
export const listOrders = (p: ServeProcess, alertId?: string) => command<OrderDto[]>(p, 'listOrders', alertId ? { alertId } : {});

/** Polls an alert's orders until `check` holds; resolves with them. */
export const ordersSettled = (p: ServeProcess, alertId: string, check: (l: OrderDto[]) => boolean, what: string) =>
  eventually(async () => {
    const l = await listOrders(p, alertId);
    return check(l) ? l : undefined;
  }, 20_000, what);

/** Polls until `check` returns a value (not undefined/false). */
export async function eventually<T>(check: () => Promise<T | undefined | false> | T | undefined | false, ms = 20_000, what = 'condition'): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > until) throw new Error(`${what} not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
