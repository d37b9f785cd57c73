#!/usr/bin/env node
// Tiny shim: load the compiled CLI. Everything else lives in dist/ (built from src/ by `npm install`).
import module from 'node:module';

// One line, not an undici stack trace, on a Node.js that is too old (undici 7 needs 20.18.1).
const [major, minor, patch] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && (minor < 18 || (minor === 18 && patch < 1)))) {
  process.stderr.write(
    `inspera-lti: needs Node.js 20.18.1 or newer; this is ${process.version} — install a current Node.js LTS (https://nodejs.org)\n`,
  );
  process.exit(2);
}

// Node 22.1+ can cache compiled code between runs (faster start); Node 20 has no such API and skips this.
module.enableCompileCache?.();
const entry = new URL('../dist/main.js', import.meta.url);
let cli;
try {
  cli = await import(entry.href);
} catch (error) {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/main.js')) {
    process.stderr.write(
      'inspera-lti: the CLI is not built yet — run `npm install` (or `npm run build`) in the project folder.\n',
    );
    process.exit(2);
  }
  throw error;
}
process.exitCode = await cli.main(process.argv);
