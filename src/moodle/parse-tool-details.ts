import { InsperaLtiError } from '../errors.js';
import { editDistance } from '../util/suggest.js';
import { TOOL_DETAIL_KEYS, TOOL_DETAIL_LABELS, type ToolDetailKey, type ToolDetails } from './tool-details.js';

/** How a value was told apart: by Moodle's English label, by its shape (a URL's path, a number), or by its place. */
export type DetailEvidence = 'label' | 'shape' | 'order';

export interface DetailSource {
  line: number;
  by: DetailEvidence;
}

export interface ReadToolDetails {
  values: Partial<ToolDetails>;
  sources: Partial<Record<ToolDetailKey, DetailSource>>;
}

const BY_LABEL = new Map<string, ToolDetailKey>(
  TOOL_DETAIL_KEYS.map((key) => [TOOL_DETAIL_LABELS[key].toLowerCase(), key]),
);
// Longest first so "Public keyset URL" wins over a shorter label that is its prefix.
const LABELS = [...BY_LABEL.keys()].sort((a, b) => b.length - a.length);

/** The three URLs Moodle derives, by the end of their path (mod/lti/certs.php, token.php, auth.php). */
const URL_BY_PATH: Array<[RegExp, ToolDetailKey]> = [
  [/\/mod\/lti\/certs\.php\/*$/i, 'publicKeysetUrl'],
  [/\/mod\/lti\/token\.php\/*$/i, 'accessTokenUrl'],
  [/\/mod\/lti\/auth\.php\/*$/i, 'authRequestUrl'],
];

/** Moodle's Client ID is random_string(15): letters and digits (mod/lti/edit_form.php, lti_add_type). */
const MOODLE_CLIENT_ID = /^[A-Za-z0-9]{15}$/;
const NUMBER = /^\d+$/;
const URL_START = /https?:\/\//i;

function matchLabel(line: string): { key: ToolDetailKey; rest: string } | undefined {
  const lower = line.toLowerCase();
  for (const label of LABELS) {
    if (!lower.startsWith(label)) continue;
    const rest = line.slice(label.length);
    // A separator or the end after the label ("Client ID: x", "Client ID\tx", "Client ID"), or a URL glued on.
    if (rest === '' || /^[\s:=]/.test(rest) || URL_START.test(rest.slice(0, 8))) {
      return { key: BY_LABEL.get(label)!, rest: rest.replace(/^\s*[:=]?\s*/, '') };
    }
  }
  return undefined;
}

/** A value on a line whose label is not Moodle's English one: the URL on it, or what follows a tab or a colon. */
function unlabelledValue(line: string): { value: string; bare: boolean } | undefined {
  const url = URL_START.exec(line);
  if (url) return { value: line.slice(url.index).trim(), bare: false };
  const tab = line.lastIndexOf('\t');
  const colon = line.search(/[:：]/);
  const after = tab >= 0 ? line.slice(tab + 1) : colon >= 0 ? line.slice(colon + 1) : undefined;
  if (after === undefined) return { value: line, bare: true };
  const value = after.trim();
  // "Subject: LTI tool configuration", "From: admin@…": words around the details, not values.
  return value !== '' && /^[A-Za-z0-9_.-]+$/.test(value) ? { value, bare: false } : undefined;
}

/** A line that is one of Moodle's labels mistyped ("Deploymnet ID"): never a value. */
function looksLikeLabel(line: string): boolean {
  const words = line
    .toLowerCase()
    .replace(/[:=]\s*$/, '')
    .trim();
  return LABELS.some((label) => editDistance(words, label) <= 2);
}

/**
 * What a text must not be taken for: a NUL byte is copy damage (no value holds one), and LTI 1.1's consumer key and
 * shared secret are not the details of an LTI 1.3 tool (the secret is never repeated in a message).
 */
function refuseForeign(text: string, source: string): void {
  const lines = text.split(/\r\n?|\n/);
  const nul = lines.findIndex((line) => line.includes('\u0000'));
  if (nul >= 0)
    throw new InsperaLtiError(
      'TOOL_DETAILS_INVALID',
      `${source} line ${nul + 1} holds a NUL byte: the copy is damaged (no Moodle value holds one)`,
      "copy the values again from Moodle's Tool configuration details dialog",
    );
  const lti11 = lines.findIndex((line) => /\b(consumer\s*key|shared\s*secret)\b/i.test(line));
  if (lti11 >= 0)
    throw new InsperaLtiError(
      'TOOL_DETAILS_INVALID',
      `${source} line ${lti11 + 1}: an LTI 1.1 consumer key and shared secret are not an LTI 1.3 tool's details ` +
        '(the secret is not shown here)',
      'Inspera connects with LTI 1.3: set the tool up with inspera-lti init, save it in Moodle, then copy its ' +
        '"Tool configuration details" (Platform ID, Client ID, Deployment ID and three URLs)',
    );
}

/** A line alone is a value only when it has the shape of one (its label may sit on the line before). */
function looksLikeValue(value: string): boolean {
  return NUMBER.test(value) || MOODLE_CLIENT_ID.test(value);
}

interface Candidate {
  line: number;
  value: string;
  key?: ToolDetailKey;
}

function decodeMailto(body: string): string {
  // A copied mailto link from the dialog's Email button: the details are the URL-encoded `body` parameter.
  const trimmed = body.trim();
  if (!/^mailto:/i.test(trimmed) && !/[?&]body=/i.test(trimmed)) return body;
  const query = trimmed.replace(/^mailto:[^?]*\?/i, '');
  try {
    return new URLSearchParams(query).get('body') ?? decodeURIComponent(query);
  } catch {
    return body;
  }
}

/**
 * Read the text an admin copies out of Moodle's "Tool configuration details" dialog, or the body of the mail its
 * Email button writes, in any interface language. Moodle's English labels are read wherever they stand; other labels
 * are told apart by the values' shape and order — the dialog lists Platform ID, Client ID, Deployment ID, then the
 * keyset, token and auth URLs (mod/lti/templates/tool_config_modal_body.mustache): the three URLs by their path,
 * the other URL is the Platform ID, a number the Deployment ID, and the Client ID comes before it. Labels on the
 * line before their value, tabs, labels glued to URLs, blank lines and any line ends are fine. Values are returned
 * as they stand, trimmed; anything else is left for the lint.
 */
export function readToolDetailsText(text: string, source: string): ReadToolDetails {
  refuseForeign(text, source);
  const lines = decodeMailto(text.replace(/^\ufeff/, ''))
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.trim());
  const candidates: Candidate[] = [];
  let pending: ToolDetailKey | undefined;
  for (const [index, line] of lines.entries()) {
    if (line === '') continue;
    const match = matchLabel(line);
    if (match) {
      if (pending) throw missingValue(pending, source);
      if (match.rest === '') pending = match.key;
      else candidates.push({ line: index + 1, value: match.rest, key: match.key });
    } else if (pending) {
      if (looksLikeLabel(line))
        throw new InsperaLtiError(
          'TOOL_DETAILS_INVALID',
          `${source} line ${index + 1}: "${line}" looks like a label, not the value of ` +
            `"${TOOL_DETAIL_LABELS[pending]}" on the line before`,
          'copy the dialog again, each label with its value (or give the values as flags, e.g. --client-id)',
        );
      candidates.push({ line: index + 1, value: line, key: pending });
      pending = undefined;
    } else {
      const found = unlabelledValue(line);
      if (found && (!found.bare || looksLikeValue(found.value))) candidates.push({ line: index + 1, ...found });
    }
  }
  if (pending) throw missingValue(pending, source);

  const read: ReadToolDetails = { values: {}, sources: {} };
  const store = (key: ToolDetailKey, candidate: Candidate, by: DetailEvidence) =>
    storeValue(read, key, candidate, by, source);
  for (const candidate of candidates) if (candidate.key) store(candidate.key, candidate, 'label');
  const unlabelled = candidates.filter((c) => !c.key);
  for (const candidate of unlabelled.filter((c) => URL_START.test(c.value.slice(0, 8)))) {
    const byPath = URL_BY_PATH.find(([path]) => path.test(candidate.value))?.[1];
    store(byPath ?? 'platformId', candidate, 'shape');
  }
  const others = unlabelled.filter((c) => !URL_START.test(c.value.slice(0, 8)));
  const open = (['clientId', 'deploymentId'] as const).filter((key) => read.values[key] === undefined);
  if (others.length === open.length && open.length === 2) {
    store('clientId', others[0]!, 'order');
    store('deploymentId', others[1]!, 'order');
  } else {
    for (const candidate of others)
      store(NUMBER.test(candidate.value) ? 'deploymentId' : 'clientId', candidate, 'shape');
  }
  if (Object.keys(read.values).length === 0) {
    throw new InsperaLtiError(
      'TOOL_DETAILS_INVALID',
      `${source}: no Tool configuration details found`,
      'paste the six lines from Moodle\'s "Tool configuration details" ' +
        'dialog, e.g. "Platform ID: https://moodle.example.edu"',
    );
  }
  return read;
}

/** The values of readToolDetailsText. */
export function parseToolDetailsText(text: string, source: string): Partial<ToolDetails> {
  return readToolDetailsText(text, source).values;
}

function missingValue(key: ToolDetailKey, source: string): InsperaLtiError {
  return new InsperaLtiError(
    'TOOL_DETAILS_INVALID',
    `${source}: "${TOOL_DETAIL_LABELS[key]}" has no value`,
    'copy the whole dialog again, each label with its value',
  );
}

function storeValue(
  read: ReadToolDetails,
  key: ToolDetailKey,
  candidate: Candidate,
  by: DetailEvidence,
  source: string,
): void {
  const previous = read.values[key];
  if (previous !== undefined && previous !== candidate.value) {
    throw new InsperaLtiError(
      'TOOL_DETAILS_INVALID',
      `${source} line ${candidate.line}: "${TOOL_DETAIL_LABELS[key]}" ` +
        `appears twice with different values (${JSON.stringify(previous)} ` +
        `and ${JSON.stringify(candidate.value)})`,
      'keep the values of one tool only',
    );
  }
  if (previous === undefined) read.sources[key] = { line: candidate.line, by };
  read.values[key] = candidate.value;
}
