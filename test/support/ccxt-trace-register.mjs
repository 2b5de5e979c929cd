// `node --import <this file>`: records which of ccxt's exchange modules get loaded, one file name
// per line, into the file named by PB_CCXT_TRACE (module resolve hooks run on their own thread).
import { register } from 'node:module';

register('./ccxt-trace-hooks.mjs', import.meta.url);
