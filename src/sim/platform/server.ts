import type { ServerResponse } from 'node:http';
import { SCOPE } from '../../lti/claims.js';
import { send, sendHtml, sendJson, startServer, type ParsedRequest, type RunningServer } from '../http-server.js';
import { handleAuth } from './auth-endpoint.js';
import {
  handleActivitySettings,
  handleAjax,
  handleCourseSettings,
  handleLogout,
  handleMyPage,
  handleToolSettings,
} from './admin-pages.js';
import { handleLaunchPage, handleLogin, handleViewPage } from './launch-page.js';
import { moodleNotFound } from './pages.js';
import { handleServices } from './services.js';
import { PlatformState } from './state.js';
import { handleToken } from './token-endpoint.js';
import type { PlatformSetup } from './types.js';

export interface EmbeddedPlatform {
  setup: PlatformSetup;
  state: PlatformState;
  server: RunningServer;
  close(): Promise<void>;
}

const MOODLE_VARIABLES = [
  'basic-lti-launch-request',
  'ContentItemSelectionRequest',
  'ToolProxyRegistrationRequest',
  'Context.id',
  'Context.title',
  'Context.label',
  'Context.id.history',
  'Context.sourcedId',
  'Context.longDescription',
  'Context.timeFrame.begin',
  'CourseSection.title',
  'CourseSection.label',
  'CourseSection.sourcedId',
  'CourseSection.longDescription',
  'CourseSection.timeFrame.begin',
  'CourseSection.timeFrame.end',
  'ResourceLink.id',
  'ResourceLink.title',
  'ResourceLink.description',
  'User.id',
  'User.username',
  'Person.name.full',
  'Person.name.given',
  'Person.name.family',
  'Person.email.primary',
  'Person.sourcedId',
  'Person.name.middle',
  'Person.address.street1',
  'Person.address.locality',
  'Person.address.country',
  'Person.address.timezone',
  'Person.phone.primary',
  'Person.phone.mobile',
  'Person.webaddress',
  'Membership.role',
  'Result.sourcedId',
  'Result.autocreate',
  'BasicOutcome.sourcedId',
  'BasicOutcome.url',
  'Moodle.Person.userGroupIds',
];

/** certs.php: exactly one key, kty/alg/kid/e/n/use, pretty-printed with unescaped slashes (facts A.2). */
function certs(setup: PlatformSetup, response: ServerResponse): string {
  send(response, 200, JSON.stringify({ keys: [setup.key.jwk] }, null, 4), {
    'content-type': 'application/json; charset=utf-8',
  });
  return '200 JWKS';
}

function discovery(setup: PlatformSetup, response: ServerResponse): string {
  const root = setup.wwwroot;
  const document = {
    issuer: root,
    token_endpoint: `${root}/mod/lti/token.php`,
    token_endpoint_auth_methods_supported: ['private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: ['RS256'],
    jwks_uri: `${root}/mod/lti/certs.php`,
    authorization_endpoint: `${root}/mod/lti/auth.php`,
    registration_endpoint: `${root}/mod/lti/openid-registration.php`,
    // Moodle's order: each service's scopes as lti_get_services() lists them, then openid.
    scopes_supported: [
      SCOPE.basicOutcome,
      SCOPE.lineItemReadonly,
      SCOPE.resultReadonly,
      SCOPE.score,
      SCOPE.lineItem,
      SCOPE.nrps,
      SCOPE.toolSettings,
      'openid',
    ],
    response_types_supported: ['id_token'],
    subject_types_supported: ['public', 'pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    claims_supported: ['sub', 'iss', 'name', 'given_name', 'family_name', 'email'],
    'https://purl.imsglobal.org/spec/lti-platform-configuration': {
      product_family_code: 'moodle',
      version: setup.world.moodle.release,
      messages_supported: [
        { type: 'LtiResourceLinkRequest' },
        { type: 'LtiDeepLinkingRequest', placements: ['ContentArea'] },
      ],
      // lti_get_capabilities() keys, in Moodle's order (the message types come first).
      variables: MOODLE_VARIABLES,
    },
  };
  send(response, 200, JSON.stringify(document, null, 4), { 'content-type': 'application/json; charset=utf-8' });
  return '200 discovery';
}

/** The wwwroot's path (Moodle in a subfolder), read once per platform and wwwroot — it may change after start. */
const prefixes = new WeakMap<PlatformSetup, { wwwroot: string; prefix: string }>();
function pathPrefix(setup: PlatformSetup): string {
  let known = prefixes.get(setup);
  if (known?.wwwroot !== setup.wwwroot) {
    known = { wwwroot: setup.wwwroot, prefix: new URL(setup.wwwroot).pathname.replace(/\/$/, '') };
    prefixes.set(setup, known);
  }
  return known.prefix;
}

async function route(
  setup: PlatformSetup,
  state: PlatformState,
  request: ParsedRequest,
  response: ServerResponse,
): Promise<string> {
  const prefix = pathPrefix(setup);
  const path = request.url.pathname.startsWith(prefix)
    ? request.url.pathname.slice(prefix.length)
    : request.url.pathname;
  // A web server that does not pass Authorization to PHP (CGI/FastCGI, a proxy): Moodle never sees the header.
  if (setup.stripAuthorization) delete request.headers.authorization;
  if (setup.exposeGradebook && request.url.pathname === '/_inspera-lti/gradebook') {
    sendJson(response, 200, state.gradebook());
    return 'gradebook';
  }
  if (path === '/mod/lti/certs.php') return certs(setup, response);
  if (path === '/mod/lti/openid-configuration.php') return discovery(setup, response);
  if (path === '/mod/lti/auth.php') return handleAuth(setup, state, request, response);
  if (path === '/mod/lti/token.php') return handleToken(setup, state, request, response);
  if (path === '/mod/lti/openid-registration.php') return registrationEndpoint(request, response);
  if (path.startsWith('/mod/lti/services.php/'))
    return handleServices(setup, state, request, response, path.slice('/mod/lti/services.php'.length));
  if (path === '/mod/lti/view.php') {
    handleViewPage(setup, state, request, response);
    return 'activity page';
  }
  if (path === '/mod/lti/launch.php') {
    handleLaunchPage(setup, state, request, response);
    return 'launch page';
  }
  if (path === '/login/index.php') {
    handleLogin(setup, state, request, response);
    return 'login';
  }
  if (path === '/my/') {
    handleMyPage(setup, state, request, response);
    return 'page';
  }
  if (path === '/login/logout.php') {
    handleLogout(setup, state, request, response);
    return 'logout';
  }
  if (path === '/lib/ajax/service.php') {
    handleAjax(setup, state, request, response);
    return 'ajax';
  }
  if (path === '/course/edit.php') {
    handleCourseSettings(setup, state, request, response);
    return 'course settings';
  }
  if (path === '/course/modedit.php') {
    handleActivitySettings(setup, state, request, response);
    return 'activity settings';
  }
  if (path === '/mod/lti/typessettings.php') {
    handleToolSettings(setup, state, request, response);
    return 'tool settings';
  }
  if (path === '/mod/lti/return.php' || path === '/') {
    sendHtml(response, 200, `<!DOCTYPE html><html><body><h1>${setup.world.siteFullName}</h1></body></html>`);
    return 'page';
  }
  moodleNotFound(response, path);
  return '404';
}

/** The embedded Moodle: a real HTTP server on 127.0.0.1 with mod_lti's endpoints and behaviour. */
export async function startPlatform(
  setup: PlatformSetup,
  options: { port?: number; host?: string } = {},
): Promise<EmbeddedPlatform> {
  const state = new PlatformState(setup.key.privateKey, setup.clockOffsetSeconds ?? 0);
  const server = await startServer(async (request, response) => {
    const note = await route(setup, state, request, response);
    setup.onRequest?.({
      method: request.method,
      path: request.url.pathname + request.url.search,
      status: response.statusCode,
      note,
    });
  }, options);
  return { setup, state, server, close: () => server.close() };
}

/**
 * openid-registration.php as Moodle 4.5.6 answers a request without a registration token: 401
 * "missing_registration_token" when no "Bearer " header arrived; a bearer that is not a JWT is an uncaught exception,
 * Moodle's error page with HTTP 404 (measured on the real 4.5.6). Dynamic registration itself is not played.
 */
function registrationEndpoint(request: ParsedRequest, response: ServerResponse): string {
  const header = String(request.headers.authorization ?? '');
  if (!header.startsWith('Bearer ')) {
    send(response, 401, 'missing_registration_token', { 'content-type': 'text/html; charset=utf-8' });
    return '401 missing_registration_token';
  }
  sendHtml(
    response,
    404,
    '<!DOCTYPE html><html><head><title>Error</title></head><body><p class="errormessage">Wrong number of segments' +
      '</p></body></html>',
  );
  return '404 the registration token is not a JWT';
}
