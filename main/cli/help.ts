/** The text of `pinebridge help` (and of a command line it does not understand). */
import { VERSION } from '../engine/core/version.js';

export const HELP = `Pinebridge ${VERSION}: TradingView alerts to exchange orders.

Usage:
  pinebridge serve [options]     run the webhook receiver, the trading engine and the web UI
  pinebridge secret [--rotate]   print (or replace) the webhook secret for your alert messages
  pinebridge backup [FILE]       consistent copy of the journal, also while the server runs
  pinebridge restore FILE        replace the journal with a checked backup (server stopped)
  pinebridge doctor              full integrity check of the journal (read-only)
  pinebridge migrate             run the journal's pending schema migrations (SQLite or --database)
  pinebridge export trades [--from DATE] [--to DATE] [--format csv|json] [--out FILE]
                                 fills, fees, P&L per strategy and slippage for accounting
  pinebridge exchanges [ID]      every ccxt exchange with its support level and what works there
  pinebridge probe [--exchange ID] [--symbol S]
                                 with testnet keys: check the exchange does what Pinebridge needs
  pinebridge breaker list        each account's circuit breaker, its failures and the last one
  pinebridge breaker reset ACCOUNT
                                 re-arm an account's breaker by hand (the server's, when it runs)
  pinebridge --help | --version  (each command takes --data-dir DIR; COMMAND --help for more)
  From a clone of the repository, run each as: npm run pinebridge -- COMMAND [options]

Options for serve (environment variable in brackets):
  --data-dir DIR          journal, settings, logs, control token  [PINEBRIDGE_DATA_DIR]
                          default: the per-user app data folder (~/.config/Pinebridge on Linux)
  --database URL          the journal on PostgreSQL, shared by several nodes: postgres://user:pw@host/db
                          [PINEBRIDGE_DATABASE_URL] (default: SQLite in the data dir)
  --webhook-port N        webhook listener port, 0 = any free port  [PINEBRIDGE_WEBHOOK_PORT] (8787)
  --webhook-host HOST     webhook listener address (127.0.0.1; the tunnel connects locally)
  --control-port N        control API + web UI port, 127.0.0.1 only  [PINEBRIDGE_CONTROL_PORT] (8788)
  --mode MODE             paper | testnet | live  [PINEBRIDGE_MODE] (paper)
  --exchange ID           ccxt exchange id for testnet/live (binance)
  --exchange-url URL      send the exchange's REST calls to this base URL  [PINEBRIDGE_EXCHANGE_URL]
  --allow-untested-exchange
                          allow live mode on an exchange that is not verified (pinebridge exchanges):
                          a lost answer may not be recoverable there
  --tunnel KIND           localtunnel | none: expose the webhook at a public HTTPS URL
  --json-logs             one JSON object per line on stdout
  --log-level LEVEL       trace | debug | info | warn | error (info)

Secrets: PINEBRIDGE_WEBHOOK_SECRET sets the webhook secret; PINEBRIDGE_API_KEY and
PINEBRIDGE_API_SECRET give exchange keys to a headless server. Otherwise they live in the OS
keychain, or without one in 0600 files in the data dir. They never appear in logs or the journal.
`;
