#!/usr/bin/env node
// Tiny shim: load the compiled CLI. Everything else lives in dist/ (built from src/ by `npm install`).
import module from 'node:module';

// Node 22.1+ can cache compiled code between runs (faster start); Node 20 has no such API and skips this.
module.enableCompileCache?.();
const entry = new URL('../dist/main.js', import.meta.url);
let cli;
try {
  cli = await import(entry.href);
} catch (error) {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/main.js')) {
    process.stderr.write('inspera-lti: the CLI is not built yet — run `npm install` (or `npm run build`) in the project folder.\n');
    process.exit(2);
  }
  throw error;
}
process.exitCode = await cli.main(process.argv);
