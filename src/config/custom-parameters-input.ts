import { InsperaLtiError } from '../errors.js';

/**
 * Parse `name=value` pairs as a person gives them (flags, a prompt, a config list). Stricter than Moodle, which
 * silently drops lines without "=" — here such a line is a mistake worth one clear error.
 */
export function parseParameterPairs(pairs: readonly string[], source: string): Record<string, string> {
  const parameters: Record<string, string> = {};
  for (const raw of pairs) {
    for (const line of raw.replace(/\r\n?/g, '\n').split('\n')) {
      if (line.trim() === '') continue;
      const eq = line.indexOf('=');
      const name = eq < 0 ? '' : line.slice(0, eq).trim();
      if (eq < 0 || name === '') {
        throw new InsperaLtiError(
          'INVALID_VALUE',
          `${source} ${JSON.stringify(line)}: not a name=value pair`,
          'write each custom parameter as name=value, e.g. enroll_candidates=true',
        );
      }
      parameters[name] = line.slice(eq + 1).trim();
    }
  }
  return parameters;
}
