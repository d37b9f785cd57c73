import { printable } from '../../util/printable.js';
import type { ParsedRequest } from '../http-server.js';
import type { ServiceAnswer } from './service-response.js';
import type { PlatformState } from './state.js';
import type { PlatformSetup } from './types.js';

/**
 * service_base::check_tool: a Bearer token from token.php, unexpired, of this type when type_id is given, holding one
 * of the scopes the resource needs. Moodle answers a bare 401 whatever the reason; the reason is kept in the state,
 * so that a run waiting for a tool's score can say why none arrived. The 401 to send, or undefined when it passes.
 */
export function checkTool(
  setup: PlatformSetup,
  state: PlatformState,
  request: ParsedRequest,
  anyOf: string[],
): ServiceAnswer | undefined {
  const reason = refusalOf(setup, state, request, anyOf);
  if (reason === undefined) return undefined;
  state.refuse({
    at: state.now(),
    endpoint: 'services',
    status: 401,
    said:
      `the tool called ${request.method} ${printable(request.url.pathname, 200)} ` +
      `with ${reason}, and Moodle answers that 401`,
  });
  // The request log (serve platform) says why; the tool gets Moodle's bare 401.
  return { code: 401, note: `401 Unauthorized: ${reason}` };
}

function refusalOf(
  setup: PlatformSetup,
  state: PlatformState,
  request: ParsedRequest,
  anyOf: string[],
): string | undefined {
  const header = String(request.headers.authorization ?? '');
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match)
    return header
      ? 'an Authorization header that is not "Bearer <access token>"'
      : 'no Authorization header (Bearer <access token>)';
  const token = state.readToken(match[1]!, setup.typeId);
  if (!token) return 'an access token this platform did not issue';
  if (token.validUntil <= state.now()) return `an access token that expired ${state.now() - token.validUntil} s ago`;
  const typeId = request.url.searchParams.get('type_id');
  if (typeId !== null && typeId !== setup.typeId)
    return `type_id=${printable(typeId, 40)}, but the token is for tool type ${setup.typeId}`;
  if (!anyOf.some((scope) => token.scopes.includes(scope))) {
    return (
      `an access token without the scope this needs ` +
      `(${anyOf.join(' or ')}); it has ${token.scopes.join(' ') || 'none'}`
    );
  }
  return undefined;
}
