import type { ServerResponse } from 'node:http';
import { send, type ParsedRequest } from '../http-server.js';
import type { PlatformState } from './state.js';
import type { PlatformSetup } from './types.js';

/** response::send for errors raised before a handler runs: a JSON body naming the status, reason and request. */
export function serviceError(response: ServerResponse, request: ParsedRequest, status: number, reason: string): string {
  const accept = request.headers.accept;
  const body = {
    status,
    reason,
    request: {
      method: request.method,
      url: request.url.pathname + request.url.search,
      ...(accept ? { accept } : {}),
      ...(request.contentType ? { contentType: request.contentType } : {}),
    },
  };
  send(response, status, JSON.stringify(body), { 'content-type': 'application/json; charset=utf-8' });
  return `${status} ${reason}`;
}

/**
 * service_base::check_tool: a Bearer token from token.php, unexpired, of this type when type_id is given, holding one
 * of the scopes the resource needs. Returns undefined when allowed, else the 401 already sent.
 */
export function checkBearer(setup: PlatformSetup, state: PlatformState, request: ParsedRequest, response: ServerResponse, anyOf: string[]): string | undefined {
  const header = String(request.headers.authorization ?? '');
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  const token = match ? state.tokens.get(match[1]!) : undefined;
  const typeId = request.url.searchParams.get('type_id');
  const ok = token !== undefined && token.validUntil > state.now() && (typeId === null || typeId === token.typeId) && token.typeId === setup.typeId
    && anyOf.some((scope) => token.scopes.includes(scope));
  return ok ? undefined : serviceError(response, request, 401, 'Unauthorized');
}
