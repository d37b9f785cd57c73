import { connect } from 'node:net';
import { readFile, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, expectNoStackTrace, runCli, tempDir } from '../helpers/cli.js';
import { startServe, stopServe, type Served } from '../helpers/serve.js';

/**
 * Input of odd shapes is bad input, never a bug (issue 30, items 10 and 11): HAR files and --since files that are
 * JSON of another shape, values pasted with damage or of another LTI version, and requests the embedded servers
 * must refuse as a client's error. One line, exit 2 (or a check's 1), never "internal error" (70).
 */
const KEYS = fileURLToPath(new URL('../../fixtures/keys/', import.meta.url));
let dir: { path: string; cleanup: () => Promise<void> };
let platform: Served;
const env = { INSPERA_LTI_KEYS_DIR: KEYS };
const run = (args: string[], input?: string): Promise<CliResult> =>
  runCli(args, { cwd: dir.path, env, ...(input !== undefined ? { input } : {}) });

function expectOneLineRefusal(result: CliResult, code: number, message: RegExp): void {
  expectNoStackTrace(result);
  expect(result.stderr).not.toMatch(/internal error/);
  expect(result.code, result.stderr).toBe(code);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stderr).toMatch(message);
}

beforeAll(async () => {
  dir = await tempDir();
  expect((await run(['init', '--domain', 'university.inspera.com', '--yes'])).code).toBe(0);
  platform = await startServe(['platform'], { cwd: dir.path, env });
});
afterAll(async () => {
  if (platform) await stopServe(platform.child);
  await dir.cleanup();
});

describe('HAR and --since files of another shape', () => {
  it('a HAR whose entries hold nulls, strings and objects where arrays and text belong', async () => {
    const base = JSON.parse(
      await readFile(fileURLToPath(new URL('../../fixtures/har/chromium-redirect-uri.har', import.meta.url)), 'utf8'),
    );
    const variants: Record<string, (e: Record<string, any>) => void> = {
      'null cookies': (e) => {
        e.response.cookies = [null, 5];
        e.request.cookies = 'x';
      },
      'bad post params': (e) => {
        e.request.postData = { text: 5, params: [null, 'x'] };
      },
      'headers not pairs': (e) => {
        e.request.headers = null;
        e.response.headers = [{ name: null, value: 5 }];
      },
      'no status': (e) => {
        e.response.status = null;
        e.startedDateTime = 5;
      },
    };
    for (const [name, bend] of Object.entries(variants)) {
      const har = structuredClone(base);
      for (const entry of har.log.entries) bend(entry);
      await writeFile(join(dir.path, 'odd.har'), JSON.stringify(har));
      const result = await run(['doctor', '--har', 'odd.har']);
      expectNoStackTrace(result);
      expect(result.stderr, name).not.toMatch(/internal error/);
      expect([1, 2], `${name}: ${result.stderr}`).toContain(result.code);
    }
  });

  it('a capture saved without content: an error status at auth.php is never "healthy"', async () => {
    const har = JSON.parse(
      await readFile(fileURLToPath(new URL('../../fixtures/har/chromium-redirect-uri.har', import.meta.url)), 'utf8'),
    );
    for (const entry of har.log.entries) entry.response.content = { size: 0, mimeType: 'text/html' };
    await writeFile(join(dir.path, 'bare.har'), JSON.stringify(har));
    const result = await run(['doctor', '--har', 'bare.har']);
    expect(result.stdout).not.toMatch(/Verdict: Everything checked is healthy/);
    expect(result.stdout).toMatch(/why auth\.php answered HTTP 404 .* the capture holds no response bodies/);
  });

  it('a --since file that is JSON of another shape', async () => {
    await writeFile(join(dir.path, 'a.yaml'), 'tool: { domain: "university.inspera.com" }\n');
    for (const since of ['{"connections":[1,null]}', '{"connections":[{"name":5,"status":{}}]}']) {
      await writeFile(join(dir.path, 'since.json'), since);
      expectOneLineRefusal(
        await run(['fleet', 'a.yaml', '--since', 'since.json']),
        2,
        /--since since\.json is not the JSON of a fleet run/,
      );
    }
  });
});

describe('values pasted with damage, or of another LTI version', () => {
  const record = (text: string) => run(['record', '--from-file', '-', '--dry-run'], text);

  it('a NUL byte inside a pasted value is copy damage, refused', async () => {
    expectOneLineRefusal(
      await record('Platform ID: https://moodle.example.edu\nClient ID: Ehdzqulq\u0000mXxNDkw\nDeployment ID: 3\n'),
      2,
      /line 2 holds a NUL byte/,
    );
  });

  it('an LTI 1.1 consumer key and shared secret are refused, and the secret is never echoed', async () => {
    const result = await record(
      'Platform ID: https://moodle.example.edu\nConsumer key: EhdzqulqmXxNDkw\nShared secret: s3cr3tV4lue99\n',
    );
    expectOneLineRefusal(result, 2, /an LTI 1\.1 consumer key and shared secret are not an LTI 1\.3 tool's details/);
    expect(result.stdout + result.stderr).not.toContain('s3cr3tV4lue99');
  });

  it('a mistyped label on the line after a label is not taken as its value', async () => {
    expectOneLineRefusal(
      await record('Platform ID: https://moodle.example.edu\nClient ID\nDeploymnet ID\n3\n'),
      2,
      /"Deploymnet ID" looks like a label, not the value of "Client ID"/,
    );
  });

  it('a binary config: its DEL and control bytes are shown as escapes', async () => {
    await writeFile(join(dir.path, 'binary.yaml'), '\u007fELF\u0001\u0002tool: x\n');
    const result = await run(['validate', '--config', 'binary.yaml']);
    expectOneLineRefusal(result, 2, /\\x7fELF\\x01\\x02tool is not a known setting/);
    expect(result.stderr).not.toMatch(/[\u0000-\u0008\u007f]/);
  });
});

describe('a port already taken', () => {
  it("simulate's embedded tool names the flag that chose it, --tool-port", async () => {
    const { createServer } = await import('node:net');
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const port = (taken.address() as { port: number }).port;
    try {
      const result = await runCli(
        [
          'simulate',
          'launch',
          '--platform-url',
          platform.info.listening,
          '--client-id',
          'EhdzqulqmXxNDkw',
          '--deployment-id',
          '3',
          '--username',
          'ada',
          '--tool-port',
          String(port),
        ],
        { cwd: dir.path, env: { ...env, MOODLE_PASSWORD: 'any' } },
      );
      // A warning may stand before it (where the tool answers); the error is one line, naming --tool-port.
      expectNoStackTrace(result);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(
        new RegExp(`inspera-lti: port ${port} on 127\\.0\\.0\\.1 is already in use — choose another --tool-port`),
      );
    } finally {
      taken.close();
    }
  });
});

describe('the embedded servers refuse a client’s error as one', () => {
  it('a 50 MB POST gets 413, not 500', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const url = new URL('/mod/lti/token.php', platform.info.listening);
      const req = request(
        url,
        { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      // The server closes after its answer: the rest of the upload may be refused, and that is fine.
      req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' ? undefined : reject(error)));
      const chunk = Buffer.alloc(1024 * 1024, 97);
      let sent = 0;
      const write = () => {
        while (sent < 50) {
          sent++;
          if (!req.write(chunk)) return void req.once('drain', write);
        }
        req.end();
      };
      write();
    });
    expect(status).toBe(413);
  });

  it('a request target that is no URL gets 400, not 500', async () => {
    const { port } = new URL(platform.info.listening);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () =>
        socket.write('GET http://[::1 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'),
      );
      let text = '';
      socket.setEncoding('utf8').on('data', (d: string) => (text += d));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');
  });
});
