import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { troubleshootingMarkdown, troubleshootingRef } from '../../src/doctor/catalogue.js';
import { CAUSE_NOTES } from '../../src/doctor/cause-notes.js';
import { CAUSES } from '../../src/core/causes.js';

const DOC = fileURLToPath(new URL('../../docs/troubleshooting.md', import.meta.url));

describe('the troubleshooting catalogue shipped with the project', () => {
  it('has symptom, confirmation and question for every cause, and nothing for causes that do not exist', () => {
    expect(Object.keys(CAUSE_NOTES).sort()).toEqual([...CAUSES.keys()].sort());
  });

  it('docs/troubleshooting.md is the one made from the code', async () => {
    const made = troubleshootingMarkdown();
    if (process.env.UPDATE_DOCS) await writeFile(DOC, made);
    expect(await readFile(DOC, 'utf8')).toBe(made);
    for (const id of CAUSES.keys()) expect(made).toContain(`\n## ${id}\n`);
  });

  it('points a cause, or a failure code a check carries, at its entry', () => {
    expect(troubleshootingRef('state-cookie')).toBe('docs/troubleshooting.md#state-cookie');
    expect(troubleshootingRef('F.12')).toBe('docs/troubleshooting.md#platform-keyset');
    expect(troubleshootingRef('nonsense')).toBeUndefined();
  });
});
