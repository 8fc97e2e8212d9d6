import react from '@vitejs/plugin-react';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));
const outDir = fileURLToPath(new URL('../../dist/console', import.meta.url));
/** The server render's build (`--ssr src/ssr/entry-server.tsx`): loaded by the api, never served. */
const ssrOutDir = fileURLToPath(new URL('../../dist/console-ssr', import.meta.url));

/** What the browser fetches as text; source maps are left as they are (fetched only by developer tools). */
const COMPRESSIBLE = /\.(js|css|html|svg|json)$/;

/**
 * Writes a .br (brotli, best) and a .gz (gzip, best) copy next to every text file of the build, once,
 * so the api serves them as they are (@fastify/static `preCompressed`) instead of compressing each
 * response again.
 */
function precompress(): Plugin {
  const br = promisify(brotliCompress);
  const gz = promisify(gzip);
  return {
    name: 'helpdesk:precompress',
    apply: 'build',
    async closeBundle() {
      const files = (await readdir(outDir, { recursive: true })).filter((file) => COMPRESSIBLE.test(file));
      await Promise.all(
        files.map(async (file) => {
          const path = join(outDir, file);
          const body = await readFile(path);
          await writeFile(`${path}.br`, await br(body, { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }));
          await writeFile(`${path}.gz`, await gz(body, { level: constants.Z_BEST_COMPRESSION }));
        }),
      );
    },
  };
}

/**
 * The console is built into dist/console, which the api serves at `/`. Routes are split into their
 * own chunks (lazy route components), so the first load carries only the shell and the inbox.
 * `npm run console:dev` proxies /api to an api on localhost:3000 (or CONSOLE_API_URL).
 */
/**
 * The inbox's server render (src/ssr/entry-server.tsx) for the api: one CommonJS module with its
 * packages in it (React's production build), which the api (CommonJS, also under jest) requires as
 * it is; no stylesheet (the browser's build has it).
 */
const ssrBuild = {
  outDir: ssrOutDir,
  emptyOutDir: true,
  sourcemap: true,
  target: 'node20',
  rollupOptions: { output: { format: 'cjs' as const, entryFileNames: '[name].cjs', chunkFileNames: 'chunks/[name]-[hash].cjs' } },
};

export default defineConfig(({ isSsrBuild }) => ({
  root: here,
  base: '/',
  plugins: isSsrBuild ? [react()] : [react(), precompress()],
  ...(isSsrBuild ? { ssr: { noExternal: true }, define: { 'process.env.NODE_ENV': JSON.stringify('production') } } : {}),
  build: isSsrBuild ? ssrBuild : {
    outDir,
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
    // The Content-Security-Policy allows no inline script or style, so nothing may be inlined.
    assetsInlineLimit: 0,
    // .vite/manifest.json: which files each page's chunk needs, for the api's modulepreload links
    // (apps/api/src/console/console-chunks.ts).
    manifest: true,
    // The dashboard's chunk (Recharts) is the largest and loads with the dashboard only; the budget
    // that matters is the first page's, which the browser tests check.
    chunkSizeWarningLimit: 600,
  },
  server: {
    proxy: { '/api': { target: process.env.CONSOLE_API_URL ?? 'http://localhost:3000', changeOrigin: false } },
  },
}));
