/** The journaled alerts as the API lists them (newest first) and shows one. */
import type { Handlers } from '../core/commands.js';
import type { Journal } from './journal.js';

export function alertCommands(j: Journal): Handlers<'listAlerts' | 'getAlert'> {
  return {
    listAlerts: async (args) => j.alerts.list(args),
    getAlert: async ({ id }) => j.alerts.get(id),
  };
}
