import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { invocation } from '../../src/cli/invocation.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('how the CLI is run from here', () => {
  it('the bare name when PATH holds this install (npm link), npx in its folder, else node and the path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'path-'));
    try {
      symlinkSync(join(ROOT, 'bin', 'inspera-lti.js'), join(dir, 'inspera-lti'));
      expect(invocation({ PATH: dir }, tmpdir())).toBe('inspera-lti');
      expect(invocation({ PATH: '' }, join(ROOT, 'docs'))).toBe('npx inspera-lti');
      expect(invocation({ PATH: '' }, tmpdir())).toBe(`node ${join(ROOT, 'bin', 'inspera-lti.js')}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
