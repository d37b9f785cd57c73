import { InsperaLtiError } from '../errors.js';
import { TOOL_DETAIL_KEYS, TOOL_DETAIL_LABELS, type ToolDetailKey, type ToolDetails } from './tool-details.js';

const BY_LABEL = new Map<string, ToolDetailKey>(
  TOOL_DETAIL_KEYS.map((key) => [TOOL_DETAIL_LABELS[key].toLowerCase(), key]),
);
// Longest first so "Public keyset URL" wins over a shorter label that is its prefix.
const LABELS = [...BY_LABEL.keys()].sort((a, b) => b.length - a.length);

function matchLabel(line: string): { key: ToolDetailKey; rest: string } | undefined {
  const lower = line.toLowerCase();
  for (const label of LABELS) {
    if (!lower.startsWith(label)) continue;
    const rest = line.slice(label.length);
    // The label must be followed by a separator or the end: "Client ID: x", "Client ID\tx", "Client ID".
    if (rest === '' || /^[\s:=]/.test(rest)) {
      return { key: BY_LABEL.get(label)!, rest: rest.replace(/^\s*[:=]?\s*/, '') };
    }
  }
  return undefined;
}

/**
 * Read the text an admin copies out of Moodle's "Tool configuration details" dialog, or the body of the mail its
 * Email button writes: `Label: value` lines (or the label on one line and the value on the next), any order,
 * blank lines, tabs, Windows or old-Mac line ends. Values are returned exactly as they stand between the
 * separators — surrounding whitespace is trimmed because copying adds it, anything else is left for the lint.
 */
export function parseToolDetailsText(text: string, source: string): Partial<ToolDetails> {
  let body = text.replace(/^\ufeff/, '');
  if (/Platform%20ID/i.test(body)) {
    // A copied mailto link from the dialog's Email button: the details are the URL-encoded `body` parameter.
    const query = body.trim().replace(/^mailto:[^?]*\?/i, '');
    try {
      body = new URLSearchParams(query).get('body') ?? decodeURIComponent(query);
    } catch {
      // not URL-encoded after all; parse as is
    }
  }
  const lines = body
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.trim());
  const found: Partial<ToolDetails> = {};
  let pending: ToolDetailKey | undefined;
  for (const [index, line] of lines.entries()) {
    if (line === '') continue;
    const match = matchLabel(line);
    if (match) {
      if (pending) throw missingValue(pending, source);
      if (match.rest === '') {
        pending = match.key;
        continue;
      }
      store(found, match.key, match.rest, source, index + 1);
    } else if (pending) {
      store(found, pending, line, source, index + 1);
      pending = undefined;
    }
  }
  if (pending) throw missingValue(pending, source);
  if (Object.keys(found).length === 0) {
    throw new InsperaLtiError(
      'TOOL_DETAILS_INVALID',
      `${source}: no Tool configuration details found`,
      'paste the six lines from Moodle\'s "Tool configuration details" ' +
        'dialog, e.g. "Platform ID: https://moodle.example.edu"',
    );
  }
  return found;
}

function missingValue(key: ToolDetailKey, source: string): InsperaLtiError {
  return new InsperaLtiError(
    'TOOL_DETAILS_INVALID',
    `${source}: "${TOOL_DETAIL_LABELS[key]}" has no value`,
    'copy the whole dialog again, each label with its value',
  );
}

function store(found: Partial<ToolDetails>, key: ToolDetailKey, value: string, source: string, line: number): void {
  const previous = found[key];
  if (previous !== undefined && previous !== value) {
    throw new InsperaLtiError(
      'TOOL_DETAILS_INVALID',
      `${source} line ${line}: "${TOOL_DETAIL_LABELS[key]}" ` +
        `appears twice with different values (${JSON.stringify(previous)} ` +
        `and ${JSON.stringify(value)})`,
      'keep the values of one tool only',
    );
  }
  found[key] = value;
}
