import { Option, type Command } from 'commander';
import { CHECKED_RELEASE, NEWEST_RELEASE, knownReleases } from '../../moodle/versions.js';

/** Repeatable option collector: `--custom a=1 --custom b=2`. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

export const jsonOption = () => new Option('--json', 'print the result as one JSON document on stdout');
export const yesOption = () =>
  new Option('-y, --yes', 'never prompt; missing required values are an error naming the flag');
export const forceOption = () =>
  new Option('--force', 'replace an existing file with different content (a .bak copy is kept)');
export const insecureOption = () =>
  new Option('--allow-insecure', 'permit http, localhost and IP addresses (local test servers only)');
export const idnOption = () =>
  new Option(
    '--allow-idn',
    'permit a genuine internationalised (non-ASCII) host; lookalike ' +
      'mixes of Latin with Cyrillic or Greek, and emoji, stay refused',
  );

/** Global options (defined on the program) merged with the command's own. */
export function allOptions<T>(command: Command): T {
  return command.optsWithGlobals() as T;
}

/** A description of several paragraphs; each is one line of source text, wrapped to the terminal by the help. */
export function paragraphs(...texts: string[]): string {
  return texts.join('\n\n');
}

export const quietOption = () =>
  new Option('-q, --quiet', 'say only the verdict and what failed (warnings and passed checks left out)').conflicts([
    'verbose',
    'json',
  ]);
export const verboseOption = () =>
  new Option('-v, --verbose', 'also log every HTTP request and answer on stderr (tokens, cookies, passwords redacted)');

export const moodleVersionOption = () =>
  new Option(
    '--moodle-version <release>',
    `the Moodle release the embedded platform plays (${knownReleases().join(', ')}; 4.5 means the newest 4.5 known). ` +
      `Default ${NEWEST_RELEASE}, the newest the project imitates: a tool must work with what sites upgrade to ` +
      `(its session cookie is SameSite=Lax since MDL-83526); ${CHECKED_RELEASE} is the release the real-Moodle ` +
      'suite checks the embedded platform against',
  );
