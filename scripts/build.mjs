#!/usr/bin/env node
// Bundle src/ into dist/ with esbuild: one ESM entry plus a chunk per lazily imported command, so start-up resolves
// a handful of files instead of dozens (see the startup benchmark). Type checking is `npm run typecheck` (tsc).
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';

await rm(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: { main: 'src/cli/main.ts', 'load-worker': 'src/sim/load-worker.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.18',
  // Heavy packages stay external and are imported lazily by the code that needs them.
  external: ['cosmiconfig', '@inquirer/prompts', 'undici', 'yaml'],
  // commander is CommonJS: give the bundled copy a real `require` for node built-ins.
  banner: {
    js:
      "import { createRequire as __createRequire } from 'node:module'; " +
      'const require = __createRequire(import.meta.url);',
  },
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
});
