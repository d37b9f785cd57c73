import { defineConfig } from 'vitest/config';

/** The browser suite (`npm run test:browser`): the HTML reports opened in Debian's headless Chromium. */
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
