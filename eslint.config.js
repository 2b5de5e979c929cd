// ESLint flat config. Beyond the recommended rules it enforces the architecture:
// - main/engine never imports electron (it runs headless);
// - shared/ is pure TypeScript: no Node built-ins, no DOM.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'assert', 'buffer', 'child_process', 'cluster', 'crypto', 'dgram', 'dns', 'events', 'fs', 'fs/promises',
  'http', 'http2', 'https', 'net', 'os', 'path', 'perf_hooks', 'process', 'readline', 'stream', 'timers',
  'tls', 'tty', 'url', 'util', 'v8', 'vm', 'worker_threads', 'zlib',
];

export default tseslint.config(
  { ignores: ['dist/**', 'renderer/dist/**', 'node_modules/**', 'release/**', 'test-artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['main/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'main/engine must run headless: only main/desktop may import electron.' }],
        patterns: [{ group: ['electron/*'], message: 'main/engine must run headless: only main/desktop may import electron.' }],
      }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    languageOptions: { globals: { ...globals['shared-node-browser'] } },
    rules: {
      'no-restricted-imports': ['error', {
        paths: [
          { name: 'electron', message: 'shared/ is pure TypeScript.' },
          ...nodeBuiltins.map((name) => ({ name, message: 'shared/ must not use Node built-ins.' })),
        ],
        patterns: [{ group: ['node:*'], message: 'shared/ must not use Node built-ins.' }],
      }],
      'no-restricted-globals': ['error',
        { name: 'window', message: 'shared/ must not use the DOM.' },
        { name: 'document', message: 'shared/ must not use the DOM.' },
        { name: 'process', message: 'shared/ must not use Node globals.' },
        { name: 'Buffer', message: 'shared/ must not use Node globals.' },
        { name: 'require', message: 'shared/ is ESM and pure.' },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
