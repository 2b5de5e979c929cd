import { useId, useMemo, useState } from 'react';
import { exchangeSupport, findExchanges, LEVEL_LABEL, nearExchanges, SUPPORT_LEVELS, type ExchangeSupport } from '../../../shared/api.js';

/** The support level of an exchange as a small badge. */
export function LevelBadge({ e }: { e: ExchangeSupport }) {
  return (
    <span className={`chip level-${e.level}`} title={e.notes}>
      {LEVEL_LABEL[e.level]}
    </span>
  );
}

const rank = (id: string) => SUPPORT_LEVELS.indexOf(exchangeSupport(id)?.level ?? 'untested');

/**
 * A searchable list of ccxt exchange ids, never free text: typing filters the list (case and
 * punctuation ignored, by id or name: "Binance" finds binance), a typo gets the near ids as
 * suggestions ("binanse": did you mean binance?), and only a row of the list can be chosen.
 * `onChange` receives a real id, or '' while the text is not one (nothing can be saved then).
 */
export function ExchangePicker({ value, onChange, label = 'Exchange' }: { value: string; onChange: (id: string) => void; label?: string }) {
  const [query, setQuery] = useState(value);
  const [open, setOpen] = useState(false);
  const listId = useId();
  const matches = useMemo(() => {
    const q = query.trim();
    const hits = findExchanges(q);
    // The verified and reviewed ones first, then ccxt's best matches.
    return [...hits].sort((a, b) => (q ? 0 : rank(a) - rank(b))).slice(0, 12);
  }, [query]);
  const near = matches.length === 0 ? nearExchanges(query) : [];
  const chosen = exchangeSupport(value);
  const pick = (id: string) => {
    onChange(id);
    setQuery(id);
    setOpen(false);
  };
  return (
    <div className="field exchange-picker">
      <label htmlFor={`${listId}-input`}>{label}</label>
      <input
        id={`${listId}-input`}
        role="combobox"
        aria-expanded={open}
        aria-controls={listId}
        aria-autocomplete="list"
        autoComplete="off"
        spellCheck={false}
        value={query}
        placeholder="search: binance, bybit, okx…"
        onFocus={() => setOpen(true)}
        onChange={(e) => {
          setQuery(e.target.value);
          setOpen(true);
          // An exact id (case aside) is chosen as typed; anything else chooses nothing until a pick.
          const typed = e.target.value.trim().toLowerCase();
          onChange(exchangeSupport(typed) ? typed : '');
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && open && matches[0]) {
            e.preventDefault();
            pick(matches[0]);
          }
          if (e.key === 'Escape') setOpen(false);
        }}
      />
      {open && matches.length > 0 && (
        <ul id={listId} role="listbox" aria-label={`${label} choices`} className="picker-list">
          {matches.map((id) => {
            const e = exchangeSupport(id)!;
            return (
              <li key={id} role="option" aria-selected={id === value} onMouseDown={(ev) => ev.preventDefault()} onClick={() => pick(id)}>
                <span className="picker-id">{id}</span> <span className="hint-inline">{e.name}</span> <LevelBadge e={e} />
              </li>
            );
          })}
        </ul>
      )}
      {query.trim() !== '' && matches.length === 0 && (
        <p className="error-text" role="alert" data-testid="exchange-not-found">
          ccxt has no exchange &quot;{query.trim()}&quot;.
          {near.length > 0 && (
            <>
              {' '}Did you mean{' '}
              {near.map((id, i) => (
                <span key={id}>
                  {i > 0 && ', '}
                  <button type="button" className="link" onClick={() => pick(id)}>
                    {id}
                  </button>
                </span>
              ))}
              ?
            </>
          )}
        </p>
      )}
      {chosen && (
        <span className="hint" data-testid="exchange-chosen">
          {chosen.name} (<code>{chosen.id}</code>): <LevelBadge e={chosen} />
          {chosen.markets ? ` ${chosen.markets}` : ''}
        </span>
      )}
    </div>
  );
}
