#!/usr/bin/env node
// Benchmarks (`npm run bench`): measured, reported, never asserted. Each section prints what it measured.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../bin/inspera-lti.js', import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 25);
const only = process.argv.slice(2);

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function timeProcess(args, cwd) {
  const times = [];
  for (let i = 0; i < RUNS + 2; i++) {
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, { cwd, env: { ...process.env, CI: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
    if (i >= 2) times.push(ms); // two warm-up runs fill the page cache
  }
  return median(times);
}

const sections = {
  startup() {
    const cwd = mkdtempSync(join(tmpdir(), 'inspera-lti-bench-'));
    try {
      const baseline = timeProcess(['-e', '0'], cwd);
      const help = timeProcess([BIN, '--help'], cwd);
      const init = timeProcess([BIN, 'init', '--yes', '--dry-run', '--domain', 'university.inspera.com'], cwd);
      console.log(`startup (median of ${RUNS} runs, whole process)`);
      console.log(`  node -e 0                         ${baseline.toFixed(1)} ms`);
      console.log(`  inspera-lti --help                ${help.toFixed(1)} ms   ratio ${(help / baseline).toFixed(2)}× (target ≤ 2×)`);
      console.log(`  inspera-lti init --yes --dry-run  ${init.toFixed(1)} ms   ratio ${(init / baseline).toFixed(2)}× (target ≤ 2×)`);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  },
};

for (const [name, run] of Object.entries(sections)) {
  if (only.length && !only.includes(name)) continue;
  await run();
}
