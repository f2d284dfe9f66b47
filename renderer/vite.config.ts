// Builds the renderer (React + zustand) into dist/renderer/, served by the main-process HTTP
// server in browser mode and loaded by the Electron window. Relative asset URLs ('./') so the
// same build works from http://127.0.0.1:PORT/ and from Electron's app-local origin.
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: './',
  logLevel: 'warn',
  // Always React's production build, even when the build runs under a test runner (NODE_ENV=test).
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  oxc: { jsx: { runtime: 'automatic', development: false } },
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // No inline scripts/styles anywhere: the Electron window's CSP forbids them.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
});
