import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { atTerminal } from '../helpers/terminal.js';

/** init at a terminal (issue 31, point 9): it asks only what the flags and the config do not answer. */
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'init-tty-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('init in a terminal', () => {
  it("with the README's flags: no question, the checklist and the config with the recommended values", async () => {
    const run = await atTerminal('init --domain university.inspera.com --moodle-url https://moodle.example.edu', {
      cwd: dir,
    });
    expect(run.code, run.screen).toBe(0);
    expect(run.screen).not.toMatch(/\?\s/);
    expect(run.screen).not.toMatch(/Tool name in Moodle:|Custom parameters \(name=value|Default launch container:/);
    expect(run.screen).toContain('Redirection URI(s)');
    const saved = parse(readFileSync(join(dir, 'inspera-lti.yaml'), 'utf8'));
    expect(saved.tool).toMatchObject({ domain: 'university.inspera.com', name: 'Inspera' });
    expect(saved.moodle.launchContainer).toBe('new-window');
  });

  it('bare: a conversation, one question per value', async () => {
    const run = await atTerminal('init', {
      cwd: dir,
      keys: [
        { when: 'Inspera tenant', type: 'university.inspera.com\r' },
        { when: 'Moodle site address', type: 'https://moodle.example.edu\r' },
        { when: 'Tool name in Moodle', type: '\r' },
        { when: 'Custom parameters', type: '\r' },
        { when: 'Default launch container', type: '\r' },
      ],
    });
    expect(run.code, run.screen).toBe(0);
    expect(parse(readFileSync(join(dir, 'inspera-lti.yaml'), 'utf8')).platform.platformId).toBe(
      'https://moodle.example.edu',
    );
  });
});
