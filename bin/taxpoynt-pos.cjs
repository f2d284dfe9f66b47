#!/usr/bin/env node
// Thin launcher: the CLI is bundled to dist/ by `npm run build` (run on install by `prepare`).
require('../dist/main/cli.cjs');
