/** Desktop popups (choices in notification-policy.ts); a click opens the dashboard. */
import { Notification } from 'electron';
import type { EventSource, NotificationSettings, Notifier } from '../engine/notify/index.js';
import { createDesktopNotifier } from './notification-policy.js';

export function startDesktopNotifications(deps: {
  events: EventSource;
  settings: () => NotificationSettings;
  icon?: string;
  onClick: () => void;
}): Notifier | null {
  if (!Notification.isSupported()) return null;
  return createDesktopNotifier({
    events: deps.events,
    settings: deps.settings,
    show: (popup) => {
      const n = new Notification({
        title: popup.title,
        body: popup.body,
        silent: !popup.urgent,
        urgency: popup.urgent ? 'critical' : 'normal',
        ...(deps.icon ? { icon: deps.icon } : {}),
      });
      n.on('click', deps.onClick);
      n.show();
    },
  });
}
