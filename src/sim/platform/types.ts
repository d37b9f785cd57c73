import type { SigningKey } from '../../lti/keys.js';
import type { MoodleSettings } from '../../moodle/settings.js';
import type { World } from '../world.js';

/** How the embedded Moodle sees the Inspera tool it has registered (its "Manage tools" entry). */
export interface RegisteredTool {
  toolUrl: string;
  loginInitUrl: string;
  redirectUrls: string[];
  /** Public key type = Keyset URL. */
  keysetUrl?: string;
  /** Public key type = RSA key. */
  publicKeyPem?: string;
  /** The tool-level "Custom parameters" text. */
  customParameters: string;
  /** A course tool (Moodle 4.3+: a teacher's, under the course's LTI External tools) rather than a site tool. */
  courseTool?: boolean;
}

export type KeysetFetch = (url: string) => Promise<{ status: number; body: string }>;

export interface PlatformSetup {
  /** $CFG->wwwroot: the issuer, never with a trailing slash. */
  wwwroot: string;
  /** lti_types.clientid */
  clientId: string;
  /** lti_types.id — the deployment id. */
  typeId: string;
  tool: RegisteredTool;
  settings: MoodleSettings;
  key: SigningKey;
  world: World;
  /** Seconds added to this platform's clock (negative = behind): the clock-skew scenarios. */
  clockOffsetSeconds?: number;
  /** How token.php downloads the tool's keyset (download_file_content). */
  fetchKeyset: KeysetFetch;
  /** Play a web server that does not pass the Authorization header to PHP (serve platform --strip-authorization). */
  stripAuthorization?: boolean;
  /** Answer GET /_inspera-lti/gradebook with the accepted scores (not a Moodle path; for `serve`). */
  exposeGradebook?: boolean;
  /** Called once per request, for `serve` logging. */
  onRequest?: (entry: { method: string; path: string; status: number; note?: string }) => void;
}
