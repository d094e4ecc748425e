// The SPA build: one entry, a lazy chunk per section. `npm run web:dev` serves it with a proxy to
// the API (MADANG_API, default http://127.0.0.1:8000); client routes that share a prefix with the
// API (/machines/…) fall back to index.html when the browser asks for a page.
import react from '@vitejs/plugin-react';
import { defineConfig, type ProxyOptions } from 'vite';
import { initialBundleReport } from './scripts/bundle-report.ts';

const API = process.env.MADANG_API ?? 'http://127.0.0.1:8000';
const toApi: ProxyOptions = {
  target: API,
  ws: true,
  changeOrigin: true,
  bypass: (req) => (req.headers.accept?.includes('text/html') ? '/index.html' : undefined),
};

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react(), initialBundleReport(250 * 1024)],
  build: { outDir: 'dist', emptyOutDir: true, reportCompressedSize: true, target: 'es2022' },
  server: {
    proxy: {
      '^/(auth|machines|mealbuddy|zodiac|igemoji)/': toApi,
      '/openapi.json': API,
      '/healthz': API,
    },
  },
});
