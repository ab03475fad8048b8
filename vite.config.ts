import { type Plugin } from 'vite';
import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { VitePWA } from 'vite-plugin-pwa';
import { styleModAdoptedSheets } from './src/ui/editor/style-mod-csp.ts';

// The production Content-Security-Policy: nothing from other origins, no inline script, no eval;
// wasm compilation is the one exception ('wasm-unsafe-eval'). Dev mode (Vite's HMR injects inline
// styles and scripts) runs without it; `npm start` and the e2e tests run the production build.
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  // 'report-sample' only adds the first 40 characters of a blocked style to its violation report.
  "style-src 'self' 'report-sample'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/**
 * The same policy as a response header, for every file served. The page's <meta> policy does not
 * reach the worker script (a worker is governed by its own response's header) and cannot carry
 * frame-ancestors; a header does both. `vite preview` (npm start, the e2e tests) sends it, and
 * the build writes `_headers` (the Netlify / Cloudflare Pages format) for static hosts.
 */
export const CONTENT_SECURITY_POLICY_HEADER = `${CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`;
export const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY_HEADER,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

function contentSecurityPolicy(): Plugin {
  return {
    name: 'agentos-csp',
    apply: 'build',
    transformIndexHtml: () => [
      { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' },
    ],
    generateBundle() {
      const lines = Object.entries(SECURITY_HEADERS).map(([name, value]) => `  ${name}: ${value}`);
      this.emitFile({ type: 'asset', fileName: '_headers', source: `/*\n${lines.join('\n')}\n` });
    },
  };
}

export default defineConfig({
  plugins: [
    svelte(),
    contentSecurityPolicy(),
    styleModAdoptedSheets(),
    VitePWA({
      registerType: 'autoUpdate',
      injectRegister: false,
      manifest: {
        name: 'AgentOS',
        short_name: 'AgentOS',
        description: 'A time-travelling operating system for agents, in a browser tab.',
        theme_color: '#14161c',
        background_color: '#14161c',
        display: 'standalone',
        start_url: '.',
        icons: [
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,wasm,svg,png,webmanifest,yaml,json}'],
        // KernelQL's engine (the query worker and SQLite's wasm, ~500 KB gzipped) is not part of the
        // first load or the install: it is cached the first time a query fetches it, and from then
        // on works offline.
        globIgnores: ['**/QueryPanel-*', '**/query.worker-*.js', '**/sqlite3-*'],
        runtimeCaching: [{
          urlPattern: ({ url }) => /\/assets\/(QueryPanel-[^/]*\.(js|css)|query\.worker-[^/]*\.js|sqlite3-[^/]*\.wasm)$/.test(url.pathname),
          handler: 'CacheFirst',
          options: { cacheName: 'agentos-query-engine', expiration: { maxEntries: 8 } },
        }],
        navigateFallback: 'index.html',
        cleanupOutdatedCaches: true,
        // Take control of the first visit's page at once, so it already works offline.
        clientsClaim: true,
        skipWaiting: true,
      },
    }),
  ],
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true, assetsInlineLimit: 0 },
  preview: { port: 4173, strictPort: true, headers: SECURITY_HEADERS },
  test: {
    include: ['tests/{unit,property,sim,golden}/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
