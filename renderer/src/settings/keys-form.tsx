import { useState } from 'react';
import type { CredentialCheckDto, CredentialsDto, Mode } from '../../../shared/api.js';
import { useApi } from '../api/api-context.js';
import { errorMessage } from '../api/api-error.js';
import { Field } from '../components/field.js';
import { useAppState } from '../hooks/app-state.js';
import { secretStoreSentence } from '../lib/secret-store.js';

/**
 * API key + secret for one account and mode: saved to the secret store, then checked with a
 * read-only call. The exchange's answer is shown as it gave it. The inputs are emptied after saving:
 * the keys never come back to the UI.
 */
export function KeysForm({
  account,
  mode,
  onSaved,
}: {
  account: string;
  mode: Exclude<Mode, 'paper'>;
  onSaved?: (c: CredentialsDto, check: CredentialCheckDto | null) => void;
}) {
  const api = useApi();
  const { settings } = useAppState();
  const [apiKey, setApiKey] = useState('');
  const [secret, setSecret] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState<'save' | 'check' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [check, setCheck] = useState<CredentialCheckDto | null>(null);

  const runCheck = async () => {
    setBusy('check');
    try {
      const r = await api.checkCredentials({ account, mode });
      setCheck(r);
      return r;
    } catch (e) {
      setError(errorMessage(e));
      return null;
    } finally {
      setBusy(null);
    }
  };

  const save = async () => {
    setBusy('save');
    setError(null);
    setCheck(null);
    try {
      const saved = await api.setCredentials({ account, mode, apiKey, secret, ...(password ? { password } : {}) });
      setApiKey('');
      setSecret('');
      setPassword('');
      const r = await runCheck();
      onSaved?.(saved, r);
    } catch (e) {
      setError(errorMessage(e));
      setBusy(null);
    }
  };

  return (
    <form
      className="keys-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <div className="grid-2">
        <Field label="API key" value={apiKey} onChange={(e) => setApiKey(e.target.value)} autoComplete="off" spellCheck={false} required />
        <Field label="API secret" type="password" value={secret} onChange={(e) => setSecret(e.target.value)} autoComplete="new-password" required />
        <Field
          label="Passphrase (only some exchanges)"
          type="password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          autoComplete="new-password"
        />
      </div>
      <p className="hint">
        Use keys with trading permission only — never withdrawal. {secretStoreSentence(settings?.secretStore)}
      </p>
      <div className="actions">
        <button type="submit" disabled={busy !== null || !apiKey || !secret}>
          {busy === 'save' ? 'Saving…' : busy === 'check' ? 'Checking with the exchange…' : `Save ${mode} keys and check`}
        </button>
        <button type="button" className="secondary" disabled={busy !== null} onClick={() => void runCheck()}>
          Check stored keys
        </button>
      </div>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      {check && <CheckResult check={check} />}
    </form>
  );
}

const HEADLINE: Record<CredentialCheckDto['outcome'], (exchange: string) => string> = {
  passed: (x) => `${x} accepted the keys: checked`,
  warning: (x) => `${x} accepted the keys, with a warning`,
  refused: (x) => `${x} refused the keys: saved, unchecked`,
  unreachable: (x) => `${x} could not be reached: keys saved, unchecked`,
  error: (x) => `${x} could not check the keys: saved, unchecked`,
  missing: () => 'No keys stored',
};

export function CheckResult({ check }: { check: CredentialCheckDto }) {
  const box = check.outcome === 'passed' ? 'success-box' : check.outcome === 'warning' || check.outcome === 'unreachable' ? 'notice' : 'error-box';
  return (
    <div className={box} role="status" data-testid="key-check" data-outcome={check.outcome}>
      <strong>{HEADLINE[check.outcome](check.exchange)}</strong>
      <p>{check.message}</p>
      {check.warnings.map((w) => (
        <p key={w} className="small">
          ⚠ {w}
        </p>
      ))}
      {check.balances.length > 0 && (
        <p className="small">
          Balances: {check.balances.map((b) => `${b.currency} ${b.total}`).join(' · ')}
        </p>
      )}
    </div>
  );
}
