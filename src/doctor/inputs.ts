import type { StoredToolsReading } from '../moodle/admin/read-stored-tools.js';
import type { CheckResult } from '../core/result.js';
import type { Config } from '../config/types.js';
import type { Finding, Unchecked } from './diagnosis.js';
import type { HarEntry } from './har/read.js';
import type { MoodleEvidence } from './moodle-version.js';

/** Whatever the ticket has: doctor reads each input it is given through its source. */
export interface DoctorInputs {
  config: Config;
  configSource?: string;
  /**
   * `mobile`: the launch Moodle's mobile web service made (mod_lti_get_tool_launch_data), whose AGS lineitem is always
   * empty — resolved only from a browser's request (gradebookservices lineitem.php, parse_value()).
   */
  token?: { text: string; source: string; route?: 'mobile' };
  har?: { entries: HarEntry[]; source: string };
  error?: string;
  /** A ticket's words: what the user says happens (doctor --symptom). */
  symptom?: string;
  /** A keyset for signatures: parsed JSON, a reason it could not be had, or undefined. */
  keyset?: unknown;
  /** Where that keyset came from (a file, a URL), as findings name it. */
  keysetLabel?: string;
  /** Results of the live checks (validate), already run. */
  live?: CheckResult[];
  /** No address the live checks asked answered at all. */
  reachedNothing?: boolean;
  /** The tools Moodle stores, as an administrator's session read them (doctor --moodle). */
  moodle?: MoodleToolReading;
}

/** What was read of a Moodle's LTI tools (doctor --moodle): the engine's reading, as it returns it. */
export type MoodleToolReading = StoredToolsReading;

/** What one source made of its input. */
export interface SourceReport {
  /** What was looked at, as the report's first line names it ("capture launch.har (12 requests)"). */
  described: string;
  findings: Finding[];
  passed: CheckResult[];
  unchecked?: Unchecked[];
  /** Warnings the config accepts on purpose: shown as warnings, never passes. */
  accepted?: CheckResult[];
  /** What happened, step by step, where the input shows it. */
  timeline?: string[];
  /** A decoded token, for the report. */
  token?: { header: Record<string, unknown>; payload: Record<string, unknown> };
  /** What the input shows of the Moodle's version (src/moodle/versions.ts). */
  moodle?: MoodleEvidence;
}

/**
 * One of doctor's inputs (the config, the live checks, a token, a capture, an error text …). A new input is a file
 * with one of these, its line in sources/index.ts, its field in DoctorInputs and the flag of doctor's that fills it.
 */
export interface DoctorSource {
  /** Whether the ticket has this input. */
  given(inputs: DoctorInputs): boolean;
  read(inputs: DoctorInputs): Promise<SourceReport>;
}
