import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The real-Moodle, browser and interop suites have their own configs (npm run test:moodle, test:browser, test:interop).
    exclude: ['test/moodle/**', 'test/browser/**', 'test/interop/**', '**/node_modules/**'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // End-to-end tests spawn the built CLI; two cores, so keep the pool small.
    maxWorkers: 2,
  },
});
