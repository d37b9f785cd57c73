#!/usr/bin/env node
// Tiny shim: load the compiled CLI. Everything else lives in dist/ (built from src/ by `npm install`).
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
