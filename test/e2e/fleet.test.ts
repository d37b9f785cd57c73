import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoStackTrace, runCli, tempDir } from '../helpers/cli.js';
import { pattern } from '../helpers/pattern.js';
import { startPair, stopServe, type Served } from '../helpers/serve.js';

/** A support desk's morning: many connections checked at once against real local servers (issue 22). */
const KEYS = fileURLToPath(new URL('../../fixtures/keys/', import.meta.url));
let dir: { path: string; cleanup: () => Promise<void> };
let tool: Served;
let platform: Served;
let hang: Server;
const run = (args: string[]) => runCli(args, { cwd: dir.path, env: { INSPERA_LTI_KEYS_DIR: KEYS } });

const config = (moodle: string, tenant: string, clientId = 'EhdzqulqmXxNDkw') =>
  [
    'allowInsecure: true',
    `tool: { domain: "${tenant}", scheme: http, customParameters: { enroll_candidates: "true" } }`,
    `platform: { platformId: "${moodle}", clientId: ${clientId}, deploymentId: "3" }`,
    '',
  ].join('\n');

beforeAll(async () => {
  dir = await tempDir();
  ({ tool, platform } = await startPair({ cwd: dir.path, env: { INSPERA_LTI_KEYS_DIR: KEYS } }));
  hang = createServer(() => {});
  await new Promise<void>((r) => hang.listen(0, '127.0.0.1', r));
  const tenant = new URL(tool.info.listening).host;
  await mkdir(join(dir.path, 'connections'));
  await writeFile(join(dir.path, 'connections', 'a-good.yaml'), config(platform.info.listening, tenant));
  await writeFile(join(dir.path, 'connections', 'b-same-again.yaml'), config(platform.info.listening, tenant));
  await writeFile(
    join(dir.path, 'connections', 'c-hanging.yaml'),
    config(`http://127.0.0.1:${(hang.address() as AddressInfo).port}`, tenant),
  );
  await writeFile(join(dir.path, 'connections', 'd-broken.yaml'), 'tool: [not closed\n');
  await writeFile(join(dir.path, 'connections', 'notes.txt'), 'not a config');
  await writeFile(
    join(dir.path, 'list.txt'),
    '# the customers\nconnections/a-good.yaml\n\nconnections/c-hanging.yaml  # slow site\n',
  );
});
afterAll(async () => {
  hang.closeAllConnections();
  hang.close();
  await stopServe(platform.child);
  await stopServe(tool.child);
  await dir.cleanup();
});

describe('inspera-lti fleet', () => {
  it('checks a folder: worst first, a hanging site bounded by --timeout, a duplicate once', async () => {
    const started = Date.now();
    const result = await run(['fleet', 'connections', '--timeout', '1000']);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(result.code).toBe(1);
    expectNoStackTrace(result);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/Connection\s+Moodle\s+Tenant\s+First cause\s+Time/);
    // Failures first: the hanging Moodle and the unreadable config; then the healthy pair.
    expect(lines.slice(1, 3).join('\n')).toMatch(
      /c-hanging\.yaml[\s\S]*d-broken\.yaml|d-broken\.yaml[\s\S]*c-hanging\.yaml/,
    );
    expect(lines.slice(1, 3).every((l) => l.startsWith('✖'))).toBe(true);
    expect(result.stdout).toMatch(
      /b-same-again\.yaml .*\(= connections\/a-good\.yaml\)|a-good\.yaml .*\(= connections\/b-same-again\.yaml\)/,
    );
    expect(result.stdout).toMatch(/4 connections in [\d.]+ s: 2 failing, 0 with warnings, 2 healthy/);
    expect(result.stdout).not.toContain('notes.txt');
  });

  it('--json: each connection with its verdict, first cause and what the checks read off the answers', async () => {
    const result = await run(['fleet', 'connections', '--timeout', '1000', '--json']);
    const doc = JSON.parse(result.stdout);
    expect(doc.ok).toBe(false);
    expect(doc.counts).toEqual({ fail: 2, warn: 0, ok: 2 });
    const good = doc.connections.find((c: { name: string }) => c.name === 'connections/a-good.yaml');
    expect(good.status).toBe('ok');
    expect(good.observed.moodleVersion).toMatch(/^5\.2\.1/);
    expect(good.observed['platform.keyset.kids']).toMatch(/^\w+$/);
    const hanging = doc.connections.find((c: { name: string }) => c.name === 'connections/c-hanging.yaml');
    expect(hanging.cause.id).toBe('unreachable');
    const broken = doc.connections.find((c: { name: string }) => c.name === 'connections/d-broken.yaml');
    expect(broken.verdict).toMatch(/^the config could not be read: /);
  });

  it('--since: what broke, recovered or changed since the last run', async () => {
    const today = JSON.parse((await run(['fleet', 'connections', '--timeout', '1000', '--json'])).stdout);
    // Yesterday: the hanging one was fine, the good one failing, and Moodle had another key.
    const yesterday = {
      connections: today.connections.map((c: { name: string; status: string; observed: Record<string, string> }) =>
        c.name === 'connections/c-hanging.yaml'
          ? { ...c, status: 'ok' }
          : c.name === 'connections/a-good.yaml'
            ? { ...c, status: 'fail', observed: { ...c.observed, 'platform.keyset.kids': 'old-kid-2025' } }
            : c,
      ),
    };
    await writeFile(join(dir.path, 'yesterday.json'), JSON.stringify(yesterday));
    const result = await run(['fleet', 'connections', '--timeout', '1000', '--since', 'yesterday.json']);
    expect(result.stdout).toMatch(/Since last time/);
    expect(result.stdout).toMatch(/broke\s+connections\/c-hanging\.yaml: This machine cannot reach the site/);
    expect(result.stdout).toMatch(/recovered\s+connections\/a-good\.yaml: now ok/);
    expect(result.stdout).toMatch(/changed\s+connections\/a-good\.yaml: Moodle's keyset kid: old-kid-2025 → \w+/);
    const bad = await run(['fleet', 'connections', '--since', 'list.txt']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--since list\.txt is not the JSON of a fleet run/);
  });

  it("--list; JUnit with cause and fix in each failure; a page linking each connection's report", async () => {
    const result = await run([
      'fleet',
      '--list',
      'list.txt',
      '--timeout',
      '1000',
      '--reporter',
      'junit',
      '--report-dir',
      'morning',
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/<testsuite name="fleet" tests="2" failures="1"/);
    expect(result.stdout).toMatch(
      pattern(
        /<testcase classname="fleet" name="connections\/c-hanging\.yaml: [^"]*">\s*/,
        /<failure message="This machine cannot reach the site: [^"]*">[\s\S]*Fix in network/,
      ),
    );
    const page = await readFile(join(dir.path, 'morning', 'index.html'), 'utf8');
    const link = /<a href="([^"]+)">connections\/a-good\.yaml<\/a>/.exec(page)?.[1];
    expect(link).toBeDefined();
    expect(await readFile(join(dir.path, 'morning', link!), 'utf8')).toMatch(/<!DOCTYPE html>/);
  });

  it('a path that cannot be read fails on its own; the other connections are still checked', async () => {
    const { execFileSync } = await import('node:child_process');
    execFileSync('mkfifo', [join(dir.path, 'a-pipe.yaml')]);
    await writeFile(join(dir.path, 'broken-list.txt'), 'connections/a-good.yaml\nnowhere/missing.yaml\na-pipe.yaml\n');
    const result = await run(['fleet', '--list', 'broken-list.txt', 'also-missing', '--json']);
    expectNoStackTrace(result);
    expect(result.code).toBe(1);
    const doc = JSON.parse(result.stdout) as { connections: Array<{ name: string; status: string; verdict: string }> };
    const byName = Object.fromEntries(doc.connections.map((c) => [c.name, c]));
    expect(byName['connections/a-good.yaml']?.status).toBe('ok');
    expect(JSON.stringify(byName['nowhere/missing.yaml'])).toMatch(/no such file or folder/);
    expect(JSON.stringify(byName['a-pipe.yaml'])).toMatch(/not a file or a folder \(a pipe or device\)/);
    expect(byName['also-missing']?.status).toBe('fail');
  });

  it('no connections is bad usage: exit 2, one line', async () => {
    const result = await run(['fleet']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/no connections to check/);
  });
});
