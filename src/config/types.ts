import type { ToolUrlTemplates, ToolUrls } from '../inspera/urls.js';
import type { MoodleSettings } from '../moodle/settings.js';
import type { ToolDetails } from '../moodle/tool-details.js';

/** The Inspera side: the tenant and what Moodle must be told about it. */
export interface ToolConfig {
  domain: string;
  scheme: 'https' | 'http';
  /** Moodle's "Tool name". */
  name: string;
  /** Template overrides from the config (`tool.templates`); the rest come from INSPERA_URL_TEMPLATES. */
  templates: Partial<ToolUrlTemplates>;
  /** The URLs in force: derived from domain and templates. */
  urls: ToolUrls;
  /** Tool-level custom parameters, in the order they are pasted into Moodle. */
  customParameters: Record<string, string>;
}

/** A key pair one of the simulators signs with. Only ever a file path or an inline PEM; never printed. */
export interface KeyConfig {
  privateKeyFile?: string;
  privateKeyPem?: string;
  kid?: string;
}

/** The one object every command reads; parsed and validated once, at the edge. */
export interface Config {
  /** Permits http, localhost and IP addresses — for local test servers only. */
  allowInsecure: boolean;
  /** Permits a genuine internationalised (non-ASCII) tenant or Moodle host; lookalike mixes are refused even so. */
  allowIdn: boolean;
  tool: ToolConfig | undefined;
  /** Moodle's six Tool configuration details, as far as they are known. */
  platform: Partial<ToolDetails>;
  moodle: MoodleSettings;
  keys: { platform?: KeyConfig; tool?: KeyConfig };
  /** Live checks to leave out (validate, doctor --live), e.g. one a tenant answers oddly by design. */
  checks: { skip: string[] };
}

/** Where a Config came from, for messages and for saving back. */
export interface LoadedConfig {
  config: Config;
  /** Absolute path of the file, or undefined when no file was found. */
  filepath: string | undefined;
  /** Non-fatal notes found while reading (unknown custom parameters, ...). */
  warnings: string[];
}
