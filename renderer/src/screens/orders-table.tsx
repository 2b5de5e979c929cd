import type { OrderDto } from '../../../shared/api.js';
import { fmtNumber, fmtTime } from '../lib/format.js';

export function OrdersTable({ orders, showAlert = true }: { orders: OrderDto[]; showAlert?: boolean }) {
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
              <td>
                {o.type}
                {o.purpose !== 'entry' ? ` (${o.purpose})` : ''}
              </td>
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
