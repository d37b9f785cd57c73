import { describe, expect, it } from 'vitest';
import { redact } from '../../src/util/redact.js';

describe('redact', () => {
  it("takes a form's secret inputs out of a page (what --verbose logs of Moodle's login and edit forms)", () => {
    const page =
      '<input type="hidden" name="logintoken" value="eRj8EL8fxaJsgFHMGxA3RA">' +
      '<input value="a6522ea4ab" name="sesskey" type="hidden"><input name="username" value="ada">' +
      '<script>M.cfg = {"wwwroot":"https://m.example.edu","sesskey":"a6522ea4ab"};</script>';
    const shown = redact(page);
    expect(shown).not.toMatch(/eRj8EL8fxaJsgFHMGxA3RA|a6522ea4ab/);
    expect(shown).toContain('name="username" value="ada"');
    expect(shown).toContain('name="logintoken" value="[redacted]"');
  });

  it('keeps values already hidden, ids and plain words', () => {
    expect(redact('password=(hidden) client_id=EhdzqulqmXxNDkw')).toBe('password=(hidden) client_id=EhdzqulqmXxNDkw');
  });
});
