#!/usr/bin/env node
// The `pinebridge` command: runs the compiled CLI (npm install / npm run build makes dist/).
import { existsSync } from 'node:fs';

const cli = new URL('../dist/main/cli.js', import.meta.url);
if (!existsSync(cli)) {
  console.error('Pinebridge is not built yet: run `npm install` (or `npm run build`) in the project folder first.');
  process.exit(1);
}
const { main } = await import(cli.href);
process.exitCode = await main(process.argv.slice(2));
