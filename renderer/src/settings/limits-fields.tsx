import type { LimitsDto } from '../../../shared/api.js';
import { Field } from '../components/field.js';

const NUMERIC: { key: Exclude<keyof LimitsDto, 'allowedSymbols'>; label: string; hint: string; int?: boolean }[] = [
  { key: 'maxOrderNotional', label: 'Max order size', hint: 'in quote currency (e.g. USDT)' },
  { key: 'maxPositionPerSymbol', label: 'Max position per symbol', hint: 'in quote currency' },
  { key: 'maxTotalExposure', label: 'Max total exposure', hint: 'all positions, in quote currency' },
  { key: 'maxOrdersPerMinute', label: 'Max orders per minute', hint: 'whole number', int: true },
  { key: 'dailyLossLimit', label: 'Daily loss limit', hint: 'realized loss that stops trading for the day' },
  { key: 'maxAlertAgeSec', label: 'Max alert age (seconds)', hint: 'older alerts are refused as stale', int: true },
];

/**
 * Risk limit inputs. Empty means "no limit" for the global limits, and "the global limit" for a
 * strategy's own (`inherit`).
 */
export function LimitsFields({ value, onChange, inherit = false }: { value: LimitsDto; onChange: (next: LimitsDto) => void; inherit?: boolean }) {
  return (
    <div className="grid-3">
      {NUMERIC.map((f) => (
        <Field
          key={f.key}
          label={f.label}
          hint={f.hint}
          type="number"
          min={0}
          step={f.int ? 1 : 'any'}
          inputMode={f.int ? 'numeric' : 'decimal'}
          placeholder={inherit ? 'global limit' : 'no limit'}
          value={value[f.key] ?? ''}
          onChange={(e) => {
            const n = e.target.value === '' ? null : Number(e.target.value);
            onChange({ ...value, [f.key]: n !== null && Number.isFinite(n) && n > 0 ? (f.int ? Math.round(n) : n) : null });
          }}
        />
      ))}
      <Field
        label="Allowed symbols"
        hint={inherit ? 'comma-separated, empty: the global list' : 'comma-separated, empty: all'}
        placeholder="BTC/USDT, ETH/USDT"
        value={value.allowedSymbols.join(', ')}
        onChange={(e) =>
          onChange({
            ...value,
            allowedSymbols: e.target.value
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean),
          })
        }
      />
    </div>
  );
}
