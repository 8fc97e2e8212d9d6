import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

/**
 * The console is built into dist/console, which the API serves at `/`. Routes are split into their
 * own chunks (React.lazy through the router), so the first load carries only the shell and the inbox.
 * `npm run console:dev` proxies /api to an API on localhost:3000 (or CONSOLE_API_URL).
 */
export default defineConfig({
  root: here,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../../dist/console', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
    // The strict Content-Security-Policy allows no inline script, so nothing may be inlined as one.
    assetsInlineLimit: 0,
    reportCompressedSize: true,
  },
  server: {
    proxy: { '/api': { target: process.env.CONSOLE_API_URL ?? 'http://localhost:3000', changeOrigin: false } },
  },
});
