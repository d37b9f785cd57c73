import { defineConfig } from 'vitest/config';

/** The real-Moodle suite (`npm run test:moodle`): one real Moodle for the run, test files one after another. */
export default defineConfig({
  test: {
    include: ['test/moodle/**/*.test.ts'],
    globalSetup: ['test/moodle/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Tests change the one site's settings: never two files at once.
    fileParallelism: false,
    maxWorkers: 1,
  },
});
