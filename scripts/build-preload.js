#!/usr/bin/env node
// Builds the Electron preload (main/desktop/preload.ts) to CommonJS: a sandboxed preload cannot
// be an ES module, and it may `require` only `electron` (no other file, no npm package). This
// script fails the build if the output requires anything else.
//
//   node scripts/build-preload.js [--out dist/main/desktop/preload.cjs] [--src main/desktop/preload.ts]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('..', import.meta.url));
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 && process.argv[i + 1] ? resolve(process.argv[i + 1]) : resolve(root, fallback);
};
const src = arg('--src', 'main/desktop/preload.ts');
const out = arg('--out', 'dist/main/desktop/preload.cjs');

const { outputText, diagnostics } = ts.transpileModule(readFileSync(src, 'utf8'), {
  fileName: src,
  reportDiagnostics: true,
  compilerOptions: {
    module: ts.ModuleKind.CommonJS,
    target: ts.ScriptTarget.ES2022,
    esModuleInterop: false,
    verbatimModuleSyntax: false,
    isolatedModules: true,
    sourceMap: false,
    removeComments: false,
  },
});
if (diagnostics?.length) {
  for (const d of diagnostics) console.error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  process.exit(1);
}

// The preload exports nothing; drop the ES-module marker so no `exports` object is needed.
const code = outputText.replace(/^Object\.defineProperty\(exports, "__esModule", \{ value: true \}\);\n/m, '');

const required = [...code.matchAll(/\brequire\(\s*(['"])([^'"]+)\1\s*\)/g)].map((m) => m[2]);
const foreign = required.filter((r) => r !== 'electron');
if (foreign.length || /\bimport\s*\(/.test(code)) {
  console.error(`preload: a sandboxed preload may only require "electron"; it requires ${JSON.stringify(foreign)}${/\bimport\s*\(/.test(code) ? ' and uses import()' : ''}`);
  process.exit(1);
}

mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `// Built from main/desktop/preload.ts by scripts/build-preload.js. Do not edit.\n${code}`);
console.log(`preload: ${out}`);
