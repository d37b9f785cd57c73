import type { ParsedRequest } from '../http-server.js';
import type { PlatformState } from './state.js';
import type { PlatformSetup } from './types.js';

/**
 * service_base::check_tool: a Bearer token from token.php, unexpired, of this type when type_id is given, holding one
 * of the scopes the resource needs.
 */
export function checkTool(setup: PlatformSetup, state: PlatformState, request: ParsedRequest, anyOf: string[]): boolean {
  const header = String(request.headers.authorization ?? '');
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  const token = match ? state.tokens.get(match[1]!) : undefined;
  const typeId = request.url.searchParams.get('type_id');
  const ok = token !== undefined && token.validUntil > state.now() && (typeId === null || typeId === token.typeId) && token.typeId === setup.typeId
    && anyOf.some((scope) => token.scopes.includes(scope));
  return ok;
}
