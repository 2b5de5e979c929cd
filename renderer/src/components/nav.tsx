const ITEMS: { path: string; label: string }[] = [
  { path: '', label: 'Dashboard' },
  { path: 'logs', label: 'Logs' },
  { path: 'positions', label: 'Positions' },
  { path: 'orders', label: 'Orders' },
  { path: 'alerts', label: 'Alerts' },
  { path: 'chart', label: 'P&L chart' },
  { path: 'backtest', label: 'Live vs backtest' },
  { path: 'settings', label: 'Settings' },
  { path: 'setup', label: 'Setup' },
];

export function Nav({ current }: { current: string }) {
  return (
    <nav className="nav" aria-label="Main">
      <ul>
        {ITEMS.map((i) => (
          <li key={i.path}>
            <a href={`#/${i.path}`} aria-current={current === i.path ? 'page' : undefined}>
              {i.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
