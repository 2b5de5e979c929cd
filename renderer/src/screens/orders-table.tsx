import type { OrderDto } from '../../../shared/api.js';
import { orderRole } from '../../../shared/order-legs.js';
import { fmtNumber, fmtTime } from '../lib/format.js';

export function OrdersTable({ orders, showAlert = true }: { orders: OrderDto[]; showAlert?: boolean }) {
  // One alert's orders: its ladder's size ("take-profit 2 of 3").
  const levels = showAlert ? undefined : orders.filter((o) => o.purpose === 'take_profit').length || undefined;
  return (
    <div className="table-wrap">
      <table className="table" data-testid="orders-table">
        <thead>
          <tr>
            <th>Created</th>
            <th>Strategy</th>
            <th>Symbol</th>
            <th>Side</th>
            <th>Type</th>
            <th>Role</th>
            <th className="num">Trigger</th>
            <th className="num">Amount</th>
            <th className="num">Filled @ avg</th>
            <th>Status</th>
            <th>Exchange answer</th>
            {showAlert && <th>Alert</th>}
          </tr>
        </thead>
        <tbody>
          {orders.map((o) => (
            <tr key={o.clientOrderId}>
              <td title={o.clientOrderId}>{fmtTime(o.createdAt)}</td>
              <td>{o.strategy}</td>
              <td>{o.symbol}</td>
              <td className={o.side === 'buy' ? 'long' : 'short'}>{o.side}</td>
              <td>{o.type}</td>
              <td data-testid="order-role">{orderRole(o, levels)}</td>
              <td className="num">{o.triggerPrice ? fmtNumber(o.triggerPrice) : '—'}</td>
              <td className="num">{fmtNumber(o.amount)}</td>
              <td className="num">
                {fmtNumber(o.filled)}
                {o.average !== null ? ` @ ${fmtNumber(o.average, 6)}` : ''}
              </td>
              <td>
                <span className={`chip order-${o.status}`}>{o.status}</span>
              </td>
              <td className="reason">
                {o.errorMessage ? `${o.errorCode ? `${o.errorCode}: ` : ''}${o.errorMessage}` : o.exchangeOrderId ? `order ${o.exchangeOrderId}` : '—'}
              </td>
              {showAlert && (
                <td>
                  <a href={`#/alerts/${encodeURIComponent(o.alertId)}`}>view</a>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
