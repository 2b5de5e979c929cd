import { LIMIT_NAMES, LIMITS, type LimitMeta, type LimitName, type LimitsDto } from '../../../shared/dto/limits.js';
import { Field } from '../components/field.js';

/**
 * Risk limit inputs, one per limit of the shared table (shared/limits.ts), in its order. Empty
 * means "no limit" for the global limits, and "the global limit" for a strategy's own (`inherit`).
 */
export function LimitsFields({ value, onChange, inherit = false }: { value: LimitsDto; onChange: (next: LimitsDto) => void; inherit?: boolean }) {
  return (
    <div className="grid-3">
      {LIMIT_NAMES.map((k) => {
        const meta: LimitMeta = LIMITS[k];
        return meta.kind === 'symbols' ? symbolsField(k, meta, value, onChange, inherit) : numberField(k, meta, value, onChange, inherit);
      })}
    </div>
  );
}

function numberField(k: LimitName, meta: LimitMeta, value: LimitsDto, onChange: (next: LimitsDto) => void, inherit: boolean) {
  const int = meta.kind !== 'usd';
  const current = value[k] as number | null;
  return (
    <Field
      key={k}
      label={meta.label}
      hint={(inherit && meta.strategyHint) || meta.hint}
      type="number"
      min={0}
      step={int ? 1 : 'any'}
      inputMode={int ? 'numeric' : 'decimal'}
      placeholder={inherit ? 'global limit' : 'no limit'}
      value={current ?? ''}
      onChange={(e) => {
        const n = e.target.value === '' ? null : Number(e.target.value);
        onChange({ ...value, [k]: n !== null && Number.isFinite(n) && n > 0 ? (int ? Math.round(n) : n) : null });
      }}
    />
  );
}

function symbolsField(k: LimitName, meta: LimitMeta, value: LimitsDto, onChange: (next: LimitsDto) => void, inherit: boolean) {
  return (
    <Field
      key={k}
      label={meta.label}
      hint={(inherit && meta.strategyHint) || meta.hint}
      placeholder="BTC/USDT, ETH/USDT"
      value={(value[k] as string[]).join(', ')}
      onChange={(e) =>
        onChange({
          ...value,
          [k]: e.target.value
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
        })
      }
    />
  );
}
