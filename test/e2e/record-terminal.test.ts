import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { atTerminal } from '../helpers/terminal.js';

const NORWEGIAN = [
  'Plattform-ID: https://moodle.example.edu',
  'Klient-ID: EhdzqulqmXxNDkw',
  'Distribusjons-ID: 3',
  'URL for offentlig nøkkelsett: https://moodle.example.edu/mod/lti/certs.php',
  'URL for tilgangstoken: https://moodle.example.edu/mod/lti/token.php',
  'URL for autentiseringsforespørsel: https://moodle.example.edu/mod/lti/auth.php',
];
const SAVED = {
  platformId: 'https://moodle.example.edu',
  clientId: 'EhdzqulqmXxNDkw',
  deploymentId: '3',
  publicKeysetUrl: 'https://moodle.example.edu/mod/lti/certs.php',
  accessTokenUrl: 'https://moodle.example.edu/mod/lti/token.php',
  authRequestUrl: 'https://moodle.example.edu/mod/lti/auth.php',
};
const FIRST = 'paste the whole Tool configuration details dialog';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'record-tty-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const saved = () => parse(readFileSync(join(dir, 'inspera-lti.yaml'), 'utf8')).platform;
const run = (keys: Array<{ when: string | RegExp; type: string }>) =>
  atTerminal('record', { cwd: dir, env: { HOME: dir }, columns: 120, keys });

describe('record at a terminal (a pseudo-terminal)', () => {
  it('the whole dialog pasted at the first question, in Norwegian, fills all six: nothing more is asked', async () => {
    const { screen, code } = await run([{ when: FIRST, type: `${NORWEGIAN.join('\r')}\r` }]);
    expect(code).toBe(0);
    expect(screen).not.toMatch(/\? Client ID/);
    expect(screen).toContain('saved to inspera-lti.yaml');
    expect(saved()).toEqual(SAVED);
  });

  it('a Platform ID typed is the first answer; the Client and Deployment IDs are asked, the URLs offered', async () => {
    const { code, screen } = await run([
      { when: FIRST, type: 'https://moodle.example.edu\r' },
      { when: '? Client ID', type: 'EhdzqulqmXxNDkw\r' },
      { when: '? Deployment ID', type: '3\r' },
      { when: '? Public keyset URL', type: '\r' },
      { when: '? Access token URL', type: '\r' },
      { when: '? Authentication request URL', type: '\r' },
    ]);
    expect(code, screen).toBe(0);
    expect(saved()).toEqual(SAVED);
  });

  it('copy damage in a pasted dialog is shown corrected, and Enter applies it', async () => {
    const damaged = [' Platform ID: https://moodle.example.edu/ ', ...NORWEGIAN.slice(1)];
    const { code, screen } = await run([
      { when: FIRST, type: `${damaged.join('\r')}\r` },
      { when: 'Apply these corrections?', type: '\r' },
    ]);
    expect(code, screen).toBe(0);
    expect(screen).toContain('Only copy damage — the corrected values:');
    expect(saved()).toEqual(SAVED);
  });

  it('Ctrl-C at the first question cancels: exit 130, nothing saved', async () => {
    const { code, screen } = await run([{ when: FIRST, type: '\x03' }]);
    expect(code).toBe(130);
    expect(screen).toContain('cancelled — nothing was saved');
    expect(() => saved()).toThrow(/ENOENT/);
  });
});
