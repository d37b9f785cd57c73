import type { ServerResponse } from 'node:http';
import { escapeHtml } from '../../util/html.js';
import { sendHtml } from '../http-server.js';
import type { PlatformSetup } from './types.js';

/**
 * Moodle's error page for moodle_exception('invalidrequest', 'error'): "Invalid request", nothing posted back.
 * The status is derived, not observed: the default exception handler's fatal_error sends 404 before output starts.
 */
/** get_docs_url(): $CFG->docroot, then the branch ($branch: '405', '502'), the language and the error's path. */
function docsUrl(setup: PlatformSetup): string {
  const { major, minor } = setup.world.moodle.line;
  return `https://docs.moodle.org/${major}${String(minor).padStart(2, '0')}/en/error/moodle/invalidrequest`;
}

export function invalidRequestPage(
  response: ServerResponse,
  setup: PlatformSetup,
  debugInfo: string,
  headers: Record<string, string> = {},
): void {
  sendHtml(
    response,
    404,
    `<!DOCTYPE html><html><head><title>${errorTitle(setup)}</title></head><body>
<div class="errorbox alert alert-danger" data-rel="fatalerror"><p class="errormessage">Invalid request</p>
<p class="errorcode"><a href="${docsUrl(setup)}">More information about this error</a></p></div>
<!-- simulated: ${escapeHtml(debugInfo)} -->
</body></html>`,
    headers,
  );
}

/** "Error | <site name>" from 4.3 on (assumed; 4.5.6 observed), "Error" in 4.2.1. */
function errorTitle(setup: PlatformSetup): string {
  return setup.world.moodle.line.wire.pageTitles === 'with-site'
    ? `Error | ${escapeHtml(setup.world.siteName)}`
    : 'Error';
}

export function moodleNotFound(response: ServerResponse, path: string): void {
  sendHtml(
    response,
    404,
    `<!DOCTYPE html><html><head><title>Error | Moodle</title></head><body><p ` +
      `class="errormessage">The requested page ${escapeHtml(path)} ` +
      `does not exist.</p></body></html>`,
  );
}
