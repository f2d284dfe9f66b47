// Lint: typescript-eslint (type-aware, so floating promises are caught) plus the project's layering
// rules, so that today's conventions are errors rather than habits:
//  - shared/ is pure: no node:*, no better-sqlite3, no main/ or preload/ or renderer/;
//  - renderer/ talks to main only through the IPC contract: it imports shared/ and its own files;
//  - SQL lives in the data layer (main/ledger/) only: no SQL text and no better-sqlite3 elsewhere;
//  - a source never imports another source;
//  - HTTP goes through main/net/http-client.ts (timeouts, proxy, typed errors): no axios, no fetch elsewhere.
// Formatting is Prettier's job (eslint-config-prettier turns off the stylistic rules it owns).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

// Statements that start SQL text (string or template literal). Matching literals, not call names,
// because `.exec(` is also RegExp's and `prepare` is a common word.
// Upper case only: the project writes SQL keywords in capitals, and prose ("with", "update") must pass.
const SQL = '/^\\s*(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|PRAGMA|WITH|REPLACE|BEGIN|COMMIT)\\s/';
const noSqlText = [
  { selector: `Literal[value=${SQL}]`, message: 'SQL belongs in the data layer (main/ledger/): call its typed API instead.' },
  { selector: `TemplateElement[value.raw=${SQL}]`, message: 'SQL belongs in the data layer (main/ledger/): call its typed API instead.' },
];
const noSqlite = { name: 'better-sqlite3', message: 'Only the data layer (main/ledger/) opens SQLite.' };
const noAxios = { name: 'axios', message: 'HTTP clients are made by main/net/http-client.ts (timeouts, proxy, typed errors).' };
const noFetch = { name: 'fetch', message: 'Use main/net/http-client.ts: it applies the timeout, the proxy settings and typed errors.' };
const SHARED_PATTERNS = [
  { group: ['node:*'], message: 'shared/ is pure: no Node built-ins (I/O belongs in main/).' },
  { group: ['**/main/**', '**/preload/**', '**/renderer/**'], message: 'shared/ imports only shared/.' },
];
const MAIN_PATTERNS = [{ group: ['**/renderer/**'], message: 'main/ does not import the renderer.' }];
const SOURCE_IDS = ['square', 'toast', 'lightspeed-x', 'lightspeed-r', 'hubspot', 'salesforce', 'pipedrive', 'register-link'];

export default tseslint.config(
  {
    ignores: ['dist/**', 'release/**', 'coverage/**', 'node_modules/**', 'test-results/**', 'docs/**', '**/*.cjs', 'bin/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['vitest.config.ts'] }, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-control-regex': 'off', // receipt sanitising and ESC/POS parsing match control bytes on purpose
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    files: ['**/*.{js,mjs}'],
    languageOptions: { globals: { ...globals.node } },
  },
  // shared/: pure TypeScript for main and renderer.
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noSqlite],
          patterns: SHARED_PATTERNS,
        },
      ],
      'no-restricted-syntax': ['error', ...noSqlText],
    },
  },
  // renderer/: React screens; main is reached only through the typed IPC contract.
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noSqlite],
          patterns: [
            { group: ['node:*'], message: 'The renderer is sandboxed: no Node built-ins.' },
            {
              group: ['**/main/**', '**/preload/**'],
              message: 'The renderer imports shared/ and its own files only (use the IPC contract).',
            },
          ],
        },
      ],
      'no-restricted-syntax': ['error', ...noSqlText],
    },
  },
  // Build configuration beside the renderer runs in Node, not in the window.
  { files: ['renderer/vite.config.ts'], rules: { 'no-restricted-imports': 'off' } },
  // preload/: the bridge exposes the contract and nothing else.
  {
    files: ['preload/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [noSqlite], patterns: [{ group: ['**/main/**', '**/renderer/**'], message: 'The preload imports shared/ only.' }] },
      ],
    },
  },
  // main/ outside the data layer: no SQL, no direct SQLite.
  {
    files: ['main/**/*.ts'],
    ignores: ['main/ledger/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [noSqlite, noAxios], patterns: MAIN_PATTERNS }],
      'no-restricted-syntax': ['error', ...noSqlText],
    },
  },
  // The data layer makes no HTTP calls either.
  { files: ['main/ledger/**/*.ts'], rules: { 'no-restricted-imports': ['error', { paths: [noAxios] }] } },
  // No fetch anywhere in main/ (the global, or reached through globalThis).
  {
    files: ['main/**/*.ts'],
    rules: {
      'no-restricted-globals': ['error', noFetch],
      'no-restricted-properties': ['error', { object: 'globalThis', property: 'fetch', message: noFetch.message }],
    },
  },
  // A source never imports another source (each is a folder of its own). Same layer rules as above,
  // plus the isolation pattern (a later block replaces a rule's options, so they are restated).
  ...SOURCE_IDS.flatMap((id) => {
    const isolation = {
      group: [`**/sources/!(${id})/**`, `../!(${id})/**`],
      message: 'A source never imports another source: share through shared/capture or main/capture.',
    };
    return [
      {
        files: [`shared/sources/${id}/**/*.ts`],
        rules: { 'no-restricted-imports': ['error', { paths: [noSqlite], patterns: [...SHARED_PATTERNS, isolation] }] },
      },
      {
        files: [`main/sources/${id}/**/*.ts`],
        rules: { 'no-restricted-imports': ['error', { paths: [noSqlite, noAxios], patterns: [...MAIN_PATTERNS, isolation] }] },
      },
    ];
  }),
  // The one module that makes HTTP clients.
  { files: ['main/net/http-client.ts'], rules: { 'no-restricted-imports': ['error', { paths: [noSqlite], patterns: MAIN_PATTERNS }] } },
  // Tests reach into internals on purpose (casts to any to break things); the async rules still hold.
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  prettier,
);
