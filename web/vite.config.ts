import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// History-style routes: the C server answers unknown non-file paths with
// index.html, so assets must be addressed absolutely (base '/'); './' breaks
// on nested routes such as /personas/templates.
export default defineConfig({
  base: '/',
  plugins: [react()],
  server: {
    // `npm run dev` talks to a `crowdelic serve` on :8080 (make run).
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 700,
    rolldownOptions: {
      output: {
        codeSplitting: {
          // react and friends, Chakra, and recharts (only the dashboard's
          // charts need it) each in a chunk of their own
          groups: [
            {
              name: 'react',
              priority: 30,
              test: /node_modules[\\/](react|react-dom|scheduler|react-router|@tanstack|i18next|react-i18next|html-parse-stringify|void-elements)[\\/]/,
            },
            {
              name: 'chakra',
              priority: 20,
              test: /node_modules[\\/](@chakra-ui|@ark-ui|@zag-js|@emotion|@floating-ui|@internationalized|@pandacss|@swc|stylis|hoist-non-react-statics|@babel)[\\/]/,
            },
            {
              name: 'charts',
              priority: 10,
              test: /node_modules[\\/](recharts|d3-[a-z-]+|internmap|victory-vendor|@reduxjs|redux|redux-thunk|react-redux|immer|reselect|es-toolkit|decimal\.js-light|eventemitter3|tiny-invariant|use-sync-external-store|clsx)[\\/]/,
            },
          ],
        },
      },
    },
  },
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['./src/test/setup.ts'],
    css: false,
    include: ['src/**/*.test.{ts,tsx}'],
    // page tests render whole pages in jsdom: seconds each on a loaded 2-core machine
    testTimeout: 20_000,
  },
});
