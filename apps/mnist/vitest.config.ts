import { defineConfig } from 'vitest/config';

// Tests live in src/; vite.config.ts (the browser page) roots Vite at web/, so set the root back here.
export default defineConfig({
  root: import.meta.dirname,
  test: { include: ['src/**/*.test.ts'], testTimeout: 60_000 },
});
