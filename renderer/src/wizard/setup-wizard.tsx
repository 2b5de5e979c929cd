import { useState } from 'react';
import type { StrategyDto } from '../../../shared/api.js';
import { useApi } from '../api/api-context.js';
import { errorMessage } from '../api/api-error.js';
import { useAppState } from '../hooks/app-state.js';
import { navigate } from '../hooks/use-route.js';
import { ExchangeForm } from '../settings/exchange-form.js';
import { ProbePanel } from '../settings/probe-panel.js';
import { KeysForm } from '../settings/keys-form.js';
import { ModeChooser } from '../settings/mode-chooser.js';
import { EMPTY_STRATEGY, StrategyForm } from '../settings/strategy-form.js';
import { TunnelPanel } from '../settings/tunnel-panel.js';
import { AlertMessage } from '../components/alert-message.js';
import { TestAlertStep } from './test-alert-step.js';

const STEPS = ['Mode', 'Exchange keys', 'Tunnel', 'Strategy', 'TradingView alert', 'Test'] as const;

/** First run: from nothing to a first (paper) fill, one step at a time. */
export function SetupWizard() {
  const api = useApi();
  const { settings, tunnel, setSettings } = useAppState();
  const [step, setStep] = useState(0);
  const [strategy, setStrategy] = useState<StrategyDto | null>(settings?.strategies[0] ?? null);
  const [keysOk, setKeysOk] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!settings) return null;

  const finish = async () => {
    try {
      setSettings(await api.updateSettings({ patch: { setupCompleted: true } }));
      navigate('/');
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const canNext = step === 3 ? strategy !== null : true;
  const heading = STEPS[step] ?? '';

  return (
    <div className="screen wizard">
      <h1>Set up Pinebridge</h1>
      <ol className="stepper" aria-label="Setup steps">
        {STEPS.map((s, i) => (
          <li key={s} className={i === step ? 'current' : i < step ? 'done' : ''} aria-current={i === step ? 'step' : undefined}>
            <button type="button" className="link" onClick={() => setStep(i)} disabled={i > 3 && !strategy}>
              <span className="num">{i + 1}</span> {s}
            </button>
          </li>
        ))}
      </ol>
      <section className="panel wizard-step" aria-labelledby="step-title" data-testid={`wizard-step-${step + 1}`}>
        <h2 id="step-title">
          {step + 1}. {heading}
        </h2>
        {step === 0 && (
          <>
            <p>Start in paper mode: it trades with simulated money, so you can see the whole path work before any real order.</p>
            <ModeChooser />
            {settings.mode !== 'paper' && <ExchangeForm />}
          </>
        )}
        {step === 1 &&
          (settings.mode === 'paper' ? (
            <p>Paper mode needs no exchange keys. You can add them later in Settings before switching to testnet or live.</p>
          ) : (
            <>
              <p>
                Create an API key on {settings.exchange} {settings.mode === 'testnet' ? '(its testnet site)' : ''} with trading enabled and
                withdrawals disabled, then paste it here. Pinebridge checks it with a read-only call.
              </p>
              <KeysForm account="main" mode={settings.mode} onSaved={(_c, check) => setKeysOk(!!check?.ok)} />
              {keysOk && <p className="ok-text">Keys work. Continue.</p>}
              {settings.mode === 'testnet' && <ProbePanel account="main" />}
            </>
          ))}
        {step === 2 && (
          <>
            <p>TradingView sends alerts over the internet, so Pinebridge needs a public HTTPS address that forwards to this machine.</p>
            <TunnelPanel />
          </>
        )}
        {step === 3 && (
          <>
            <p>A strategy names the alerts of one TradingView strategy and says how much each order buys or sells.</p>
            <StrategyForm
              initial={strategy ?? { ...EMPTY_STRATEGY, name: 'my-strategy' }}
              submitLabel="Save and continue"
              onSaved={(s, saved) => {
                setSettings(s);
                setStrategy(saved);
                setStep(4);
              }}
            />
          </>
        )}
        {step === 4 && strategy && <AlertMessage strategy={strategy} />}
        {step === 5 && strategy && <TestAlertStep strategy={strategy} />}
        {error && (
          <p className="error-text" role="alert">
            {error}
          </p>
        )}
        <div className="actions wizard-nav">
          {step > 0 && (
            <button type="button" className="secondary" onClick={() => setStep(step - 1)}>
              Back
            </button>
          )}
          {step < STEPS.length - 1 && step !== 3 && (
            <button type="button" onClick={() => setStep(step + 1)} disabled={!canNext}>
              {step === 1 && settings.mode !== 'paper' && !keysOk ? 'Skip for now' : step === 2 && !tunnel?.publicUrl ? 'Continue without a tunnel' : 'Next'}
            </button>
          )}
          {step === 3 && strategy && (
            <button type="button" className="secondary" onClick={() => setStep(4)}>
              Keep {strategy.name} and continue
            </button>
          )}
          {step === STEPS.length - 1 && (
            <button type="button" onClick={() => void finish()}>
              Finish setup
            </button>
          )}
          {settings.setupCompletedAt === null && step < STEPS.length - 1 && (
            <button type="button" className="link" onClick={() => void finish()}>
              Skip setup
            </button>
          )}
        </div>
      </section>
    </div>
  );
}
