import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The real-Moodle suite has its own config (npm run test:moodle).
    exclude: ['test/moodle/**', '**/node_modules/**'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // End-to-end tests spawn the built CLI; two cores, so keep the pool small.
    maxWorkers: 2,
  },
});
