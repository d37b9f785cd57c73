import { defineConfig } from 'vitest/config';

/** The interop suite (`npm run test:interop`): the CLI against a real LTI tool library (ltijs), in its own process. */
export default defineConfig({
  test: {
    include: ['test/interop/**/*.test.ts'],
    exclude: ['**/node_modules/**'],
    globalSetup: ['test/interop/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
