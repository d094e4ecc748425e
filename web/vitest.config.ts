// Unit and component tests of the front end (happy-dom). The root config runs the server tests;
// this one runs web/src/**/*.test.ts(x): `npm run test:web`.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  test: {
    name: 'web',
    include: ['src/**/*.test.{ts,tsx}'],
    environment: 'happy-dom',
    environmentOptions: { happyDOM: { url: 'http://madang.test/' } },
    restoreMocks: true,
  },
});
