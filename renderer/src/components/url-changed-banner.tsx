import { useAppState } from '../hooks/app-state.js';
import { CopyButton } from './copy-button.js';

/**
 * The tunnel server did not give this install its saved subdomain: TradingView's alerts still
 * post to the old address, so every alert is lost until the user updates them (or Pinebridge gets
 * the saved address back, which it keeps asking for).
 */
export function UrlChangedBanner() {
  const { tunnel } = useAppState();
  if (!tunnel?.subdomainRefused || !tunnel.publicUrl) return null;
  const url = `${tunnel.publicUrl.replace(/\/+$/, '')}/webhook`;
  return (
    <div className="notice" role="alert" data-testid="url-changed">
      <strong>Your webhook URL changed: update your TradingView alerts</strong>
      <p>
        The tunnel server did not give this computer its saved address ({tunnel.subdomainRefused}), so alerts sent to the old URL do not arrive. Put the new URL in
        each alert's Webhook URL field; Pinebridge keeps asking for the saved address and says so when it has it back. For an address that never changes, use
        your own domain (Settings &gt; Tunnel &gt; my own URL).
      </p>
      <div className="url-row">
        <code className="url" data-testid="url-changed-url">
          {url}
        </code>
        <CopyButton text={url} />
      </div>
    </div>
  );
}
