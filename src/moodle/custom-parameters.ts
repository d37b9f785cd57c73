/**
 * Moodle's handling of custom parameters (mod/lti/locallib.php lti_split_custom_parameters,
 * lti_parse_custom_parameter; facts B): one name=value per line, CR/CRLF normalised, lines without "=" or starting
 * with "=" ignored, name and value trimmed; the name lower-cased with every byte outside [a-z0-9] made "_", and for
 * LTI 1.3 both keys emitted when that changed it; a leading "\" escapes, a leading "$" is a substitution variable.
 */
export type Substitutions = Record<string, string | null>;

export function splitMoodleParameters(text: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    pairs.push([line.slice(0, eq).trim(), line.slice(eq + 1).trim()]);
  }
  return pairs;
}

export function normaliseKey(name: string): string {
  let out = '';
  for (const byte of Buffer.from(name.toLowerCase(), 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += /[a-z0-9]/.test(ch) ? ch : '_';
  }
  return out;
}

function resolveValue(value: string, substitutions: Substitutions): string | null {
  if (value.startsWith('\\')) return value.slice(1);
  if (value.startsWith('$') && Object.hasOwn(substitutions, value)) return substitutions[value] ?? null;
  return value;
}

/**
 * The `custom` claim: tool-level parameters win over activity-level ones. Empty values stay empty strings; a
 * substitution whose value is not shared (privacy) is null, as Moodle sends it.
 */
export function buildCustomClaim(
  toolText: string,
  activityText: string,
  substitutions: Substitutions,
): Record<string, string | null> {
  const claim: Record<string, string | null> = {};
  const add = (pairs: Array<[string, string]>) => {
    for (const [name, raw] of pairs) {
      const value = resolveValue(raw, substitutions);
      const key = normaliseKey(name);
      claim[key] = value;
      if (key !== name) claim[name] = value;
    }
  };
  add(splitMoodleParameters(activityText));
  add(splitMoodleParameters(toolText));
  return claim;
}

/** The text to paste into Moodle's "Custom parameters" field: one name=value per line. */
export function parametersToMoodleText(parameters: Record<string, string>): string {
  return Object.entries(parameters)
    .map(([name, value]) => `${name}=${value}`)
    .join('\n');
}
