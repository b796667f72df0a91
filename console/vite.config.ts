import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));

/** antd components that only pages use and antd's core never imports (the tooltip reads one table context: it stays in the core): a chunk of their own. */
const ANTD_DATA = /node_modules\/antd\/es\/(table(?!\/TableMeasureRowContext)|transfer|tree|tree-select|cascader|upload|descriptions|statistic|steps|timeline|segmented)\//;

/** Library families that load together, each its own cacheable chunk. */
const VENDOR_CHUNKS: readonly (readonly [string, RegExp])[] = [
  ['react', /^(react|react-dom|scheduler|react-router|@tanstack\/.*|use-sync-external-store)$/],
  ['i18n', /^(i18next|react-i18next|i18next-icu|intl-messageformat|@formatjs\/.*|html-parse-stringify|void-elements)$/],
  // ECharts' core and its renderer apart: each under the limit, both loaded with the report pages only.
  ['echarts', /^echarts$/],
  ['zrender', /^zrender$/],
  // Ant Design in three parts, each under the 500 kB limit, importing only downwards (antd →
  // antd-rc → antd-base), never in a circle (Rollup warns of a circular chunk and
  // scripts/console-build.ts fails on it): its components; the rc-component widgets; and below them
  // what the widgets and antd's style engine share — @rc-component/util (and its is-mobile, react-is),
  // the style engine and icons (which import only the util), and leaf helpers.
  ['antd', /^antd$/],
  ['antd-base', /^(@rc-component\/util|is-mobile|react-is|@ant-design\/.*|dayjs|@babel\/runtime|classnames|clsx|stylis|@emotion\/.*|throttle-debounce|compute-scroll-into-view|scroll-into-view-if-needed|json2mq|string-convert|toggle-selection|copy-to-clipboard|resize-observer-polyfill)$/],
  ['antd-rc', /^(@rc-component\/.*|rc-.*)$/],
  ['forms', /^(react-hook-form|@hookform\/.*|zod)$/],
];

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
    // No chunk over 500 kB minified (issue 13): pages are split by route (app/routes.tsx), the
    // libraries by family so a page's chunk never drags a vendor in twice; scripts/console-build.ts
    // prints every chunk's size and fails the build on one over the limit.
    chunkSizeWarningLimit: 500,
    rollupOptions: {
      output: {
        manualChunks(id) {
          if (!id.includes('node_modules')) return undefined;
          const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(id)?.[1] ?? '';
          // antd's data-display and picker components (which the rest of antd never imports) load as
          // their own chunk, so the core stays well under the limit as pages adopt more of the kit.
          if (pkg === 'antd' && ANTD_DATA.test(id)) return 'antd-data';
          for (const [chunk, test] of VENDOR_CHUNKS) if (test.test(pkg)) return chunk;
          return undefined;
        },
      },
    },
  },
  server: {
    // `npx vite --config console/vite.config.ts` for development against a running API.
    proxy: { '/api': 'http://localhost:3000' },
  },
});
