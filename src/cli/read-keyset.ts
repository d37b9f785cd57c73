import { InsperaLtiError } from '../errors.js';
import type { Output } from './output.js';
import { cliProber } from './prober.js';
import { readTextInput } from './read-input.js';

/** A JWKS as a verifier needs it: an object with a non-empty "keys" array of objects; else why not. */
function jwksProblem(value: unknown): string | undefined {
  const keys = (value as { keys?: unknown } | null)?.keys;
  if (!value || typeof value !== 'object' || !Array.isArray(keys)) return 'it is not a JWKS (no "keys" array)';
  if (keys.length === 0) return 'its "keys" array is empty';
  if (keys.some((k) => !k || typeof k !== 'object')) return 'its "keys" array holds something that is not a key';
  return undefined;
}

/** The platform keyset for signatures: a URL (its problems become findings) or a file (unusable = exit 2). */
export async function readKeyset(
  out: Output,
  source: string,
  timeoutMs: number,
): Promise<{ keyset: unknown; label: string }> {
  if (/^https?:\/\//i.test(source)) {
    const prober = await cliProber(out);
    try {
      const answer = await prober.probe(source, { timeoutMs, followRedirects: false });
      if (!answer.ok) return { keyset: answer.failure.message, label: source };
      if (answer.status !== 200) return { keyset: `HTTP ${answer.status}`, label: source };
      let parsed: unknown;
      try {
        parsed = JSON.parse(answer.body) as unknown;
      } catch {
        return { keyset: 'the answer is not JSON', label: source };
      }
      return { keyset: jwksProblem(parsed) ? `the answer is JSON, but ${jwksProblem(parsed)}` : parsed, label: source };
    } finally {
      await prober.close();
    }
  }
  const text = await readTextInput(source, '--keyset', 1024 * 1024);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch {
    throw new InsperaLtiError(
      'INVALID_VALUE',
      `--keyset ${source} is not JSON`,
      'give a JWKS file ({"keys": [...]}) or the keyset URL',
    );
  }
  const problem = jwksProblem(parsed);
  if (problem)
    throw new InsperaLtiError(
      'INVALID_VALUE',
      `--keyset ${source}: ${problem}`,
      'give the JWKS Moodle serves at {Platform ID}/mod/lti/certs.php ({"keys": [{"kty": "RSA", …}]})',
    );
  return { keyset: parsed, label: `the file ${source}` };
}
