import { appendFileSync } from 'node:fs';

export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  if (process.env.PB_CCXT_TRACE && /\/ccxt\/js\/src\/[a-z0-9]+\.js$/.test(r.url)) appendFileSync(process.env.PB_CCXT_TRACE, `${r.url.split('/').pop()}\n`);
  return r;
}
