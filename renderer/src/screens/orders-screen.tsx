import { useState } from 'react';
import { useApi } from '../api/api-context.js';
import { QueryView } from '../components/query-view.js';
import { useAppState } from '../hooks/app-state.js';
import { isLedgerEvent, useQuery } from '../hooks/use-query.js';
import { OrdersTable } from './orders-table.js';

export function OrdersScreen() {
  const api = useApi();
  const { settings } = useAppState();
  const [strategy, setStrategy] = useState('');
  const q = useQuery(() => api.listOrders({ limit: 200, ...(strategy ? { strategy } : {}) }), [strategy], { refreshOn: isLedgerEvent });
  return (
    <div className="screen">
      <div className="screen-head">
        <h1>Orders</h1>
        <label className="field inline">
          <span>Strategy</span>
          <select value={strategy} onChange={(e) => setStrategy(e.target.value)} aria-label="Strategy">
            <option value="">all</option>
            {settings?.strategies.map((s) => (
              <option key={s.name}>{s.name}</option>
            ))}
          </select>
        </label>
      </div>
      <QueryView query={q} isEmpty={(d) => d.length === 0} empty={{ title: 'No orders yet', body: 'Each accepted alert turns into one or more orders here.' }}>
        {(orders) => <OrdersTable orders={orders} />}
      </QueryView>
    </div>
  );
}
