import { useState } from 'react';
import type { NotificationSettingsDto } from '../../../shared/api.js';
import { useApi } from '../api/api-context.js';
import { errorMessage } from '../api/api-error.js';
import { Field } from '../components/field.js';
import { Toggle } from '../components/toggle.js';
import { useAppState } from '../hooks/app-state.js';

type Flag = 'fills' | 'rejectedAlerts' | 'errors' | 'breaker' | 'tunnelDown' | 'urlChanged';
const FLAGS: { key: Flag; label: string }[] = [
  { key: 'fills', label: 'Order fills' },
  { key: 'rejectedAlerts', label: 'Rejected alerts' },
  { key: 'errors', label: 'Errors' },
  { key: 'breaker', label: 'Circuit breaker opened' },
  { key: 'tunnelDown', label: 'Tunnel down' },
  { key: 'urlChanged', label: 'Public URL changed' },
];

/** Which events notify, Telegram / Discord channels, and start at login. */
export function NotificationsSection() {
  const api = useApi();
  const { settings, setSettings } = useAppState();
  const [chatId, setChatId] = useState(settings?.notifications.telegram.chatId ?? '');
  const [token, setToken] = useState('');
  const [discordUrl, setDiscordUrl] = useState('');
  const [error, setError] = useState<string | null>(null);
  if (!settings) return null;
  const n: NotificationSettingsDto = settings.notifications;

  const patch = async (p: Parameters<typeof api.updateSettings>[0]['patch']) => {
    setError(null);
    try {
      setSettings(await api.updateSettings({ patch: p }));
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const secret = async (kind: 'telegramToken' | 'discordWebhookUrl', value: string | null) => {
    setError(null);
    try {
      setSettings(await api.setNotificationSecret({ kind, value }));
      setToken('');
      setDiscordUrl('');
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <section className="panel" aria-labelledby="notifications">
      <h2 id="notifications">Notifications and startup</h2>
      <ul className="toggles">
        {FLAGS.map((f) => (
          <li key={f.key}>
            <Toggle checked={n[f.key]} label={`Notify: ${f.label}`} onChange={(v) => void patch({ notifications: { [f.key]: v } })} />
            <span>{f.label}</span>
          </li>
        ))}
        <li>
          <Toggle checked={settings.startAtLogin} label="Start at login" onChange={(v) => void patch({ startAtLogin: v })} />
          <span>Start Pinebridge hidden at login (desktop app)</span>
        </li>
      </ul>
      <div className="grid-2">
        <div className="subpanel">
          <h3>
            <Toggle checked={n.telegram.enabled} label="Telegram" onChange={(v) => void patch({ notifications: { telegram: { enabled: v } } })} /> Telegram
          </h3>
          <Field label="Chat id" value={chatId} onChange={(e) => setChatId(e.target.value)} onBlur={() => void patch({ notifications: { telegram: { chatId: chatId || null } } })} />
          <Field label={`Bot token ${n.telegram.tokenSet ? '(set)' : '(not set)'}`} type="password" value={token} autoComplete="off" onChange={(e) => setToken(e.target.value)} />
          <div className="actions">
            <button type="button" className="secondary small-button" disabled={!token} onClick={() => void secret('telegramToken', token)}>
              Save token
            </button>
            {n.telegram.tokenSet && (
              <button type="button" className="secondary small-button" onClick={() => void secret('telegramToken', null)}>
                Remove token
              </button>
            )}
          </div>
        </div>
        <div className="subpanel">
          <h3>
            <Toggle checked={n.discord.enabled} label="Discord" onChange={(v) => void patch({ notifications: { discord: { enabled: v } } })} /> Discord
          </h3>
          <Field label={`Webhook URL ${n.discord.urlSet ? '(set)' : '(not set)'}`} type="password" value={discordUrl} autoComplete="off" onChange={(e) => setDiscordUrl(e.target.value)} />
          <div className="actions">
            <button type="button" className="secondary small-button" disabled={!discordUrl} onClick={() => void secret('discordWebhookUrl', discordUrl)}>
              Save URL
            </button>
            {n.discord.urlSet && (
              <button type="button" className="secondary small-button" onClick={() => void secret('discordWebhookUrl', null)}>
                Remove URL
              </button>
            )}
          </div>
        </div>
      </div>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
