import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The staff console: a static single-page app built into dist/web and served by the API process
 * (same origin as /api/v1). No React plugin: Vite's own transform compiles TSX with the automatic
 * runtime; Fast Refresh is the only thing given up (`npm run dev:web` reloads the page instead).
 */
export default defineConfig({
  root,
  base: '/',
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    // Hashed names under assets/ are cached for a year; index.html is revalidated (src/lib/http/web-console.ts).
    assetsDir: 'assets',
    sourcemap: true,
    target: 'es2022',
    reportCompressedSize: false,
  },
  server: {
    // `npm run dev:web`: the API (`npm run dev:api`) answers /api, /openapi.json and /admin/queues.
    proxy: {
      '/api': 'http://127.0.0.1:3000',
      '/admin/queues': 'http://127.0.0.1:3000',
      '/openapi.json': 'http://127.0.0.1:3000',
    },
  },
});
