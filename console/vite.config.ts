import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The web console: a static single-page app built into console/dist and served by the API
 * (which falls back to index.html for every non-/api path). The served CSP is strict
 * (script-src 'self'), so the build must not emit inline scripts.
 */
export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // Keep every asset a file (no data: URIs for scripts); CSS may be inlined by the browser only as <link>.
    assetsInlineLimit: 0,
  },
  server: {
    // `npx vite --config console/vite.config.ts` for development against a running API.
    proxy: { '/api': 'http://localhost:3000' },
  },
});
