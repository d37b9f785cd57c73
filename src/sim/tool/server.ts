import type { ServerResponse } from 'node:http';
import type { CheckResult } from '../../core/result.js';
import type { HttpClient } from '../../http/client.js';
import { insperaExpectations } from '../../inspera/launch-expectations.js';
import type { ToolUrls } from '../../inspera/urls.js';
import type { SigningKey } from '../../lti/keys.js';
import { verifyLaunchToken, type PlatformRegistration } from '../../lti/verify-launch.js';
import { autoSubmitPage, escapeHtml } from '../../util/html.js';
import { provisionCandidates, type ProvisioningReport } from './provisioning.js';
import { redirect, send, sendHtml, startServer, type ParsedRequest, type RunningServer } from '../http-server.js';
import { ExpiringMap, ExpiringSet } from '../../util/expiring.js';
import { randomHex } from '../../util/random.js';

const STATE_COOKIE = 'lti1p3_state';

/** How long a login state and a used nonce are kept: ten minutes, far beyond an id_token's life and leeway. */
const REMEMBER_MS = 10 * 60_000;

/** Ways the simulated tool can misbehave, for the failure scenarios (a correct tool uses none of them). */
export interface ToolBehaviour {
  /** SameSite of the state cookie; a correct cross-site tool uses None (with Secure). */
  stateCookieSameSite?: 'None' | 'Lax';
  /** The state cookie's attributes after its Path, whole ("SameSite=Lax", "SameSite=None; Secure; Partitioned", ""). */
  stateCookieAttributes?: string;
  /** Send the authentication request as a form POST with a non-empty `repost` field (WeBWorK's bug, facts F.8). */
  postWithRepost?: boolean;
  omitResponseMode?: boolean;
  /** Send another login_hint than Moodle's. */
  loginHint?: string;
}

export interface ToolSetup {
  /** The tool's public URLs (config tool.urls): paths are served, the redirect URI is sent to the platform. */
  urls: ToolUrls;
  registrations: PlatformRegistration[];
  key: SigningKey;
  fetchKeyset(url: string): Promise<unknown | string>;
  leewaySeconds: number;
  clockOffsetSeconds?: number;
  behaviour?: ToolBehaviour;
  /** For the services the tool calls itself (candidate provisioning through NRPS); none = it calls none. */
  http?: HttpClient;
  /** Ask for the membership this many members a page (NRPS `limit`), as tools do for large courses. */
  membershipPageSize?: number;
  onRequest?: (entry: { method: string; path: string; status: number; note?: string }) => void;
}

/** What the tool concluded about one launch; also embedded in its answer page as JSON for a driver to read. */
export interface LaunchRecord {
  state: string;
  ok: boolean;
  /** An OAuth error Moodle posted back instead of an id_token. */
  platformError?: { error: string; description?: string };
  results: CheckResult[];
  payload?: Record<string, unknown>;
  header?: Record<string, unknown>;
  /** Candidate auto-provisioning on an instructor launch with enroll_candidates=true. */
  provisioning?: ProvisioningReport;
}

interface Pending {
  nonce: string;
  registration: PlatformRegistration;
  created: number;
}

export interface EmbeddedTool {
  setup: ToolSetup;
  server: RunningServer;
  close(): Promise<void>;
}

export const REPORT_SCRIPT_ID = 'lti-launch-report';

function reportPage(response: ServerResponse, record: LaunchRecord): void {
  const failures = record.results.filter((r) => r.status === 'fail');
  const title = record.ok ? 'Launch accepted' : 'Launch rejected';
  const json = JSON.stringify(record).replace(/</g, '\\u003c');
  sendHtml(
    response,
    record.ok ? 200 : record.platformError ? 400 : 401,
    `<!DOCTYPE html><html><head><title>${title}</title></head><body>
<h1>${title}</h1><ul>${failures.map((f) => `<li>${escapeHtml(f.finding)}</li>`).join('')}</ul>
<script type="application/json" id="${REPORT_SCRIPT_ID}">${json}</script></body></html>`,
  );
}

/** The embedded Inspera-like tool: login initiation, launch verification, its own keyset. */
export async function startTool(
  setup: ToolSetup,
  options: { port?: number; host?: string; portFlag?: string } = {},
): Promise<EmbeddedTool> {
  // Remembered as long as a launch can use them (Moodle's id_token lives 60 s), not for the server's lifetime.
  const pending = new ExpiringMap<string, Pending>(REMEMBER_MS);
  const usedNonces = new ExpiringSet<string>(REMEMBER_MS);
  const path = (url: string) => new URL(url).pathname;
  const loginPath = path(setup.urls.loginInitUrl);
  const launchPaths = new Set([...setup.urls.redirectUrls.map(path), path(setup.urls.toolUrl)]);
  const keysetPath = path(setup.urls.keysetUrl);
  const now = () => Math.floor(Date.now() / 1000) + (setup.clockOffsetSeconds ?? 0);

  const login = (request: ParsedRequest, response: ServerResponse): string => {
    const iss = request.params.get('iss') ?? '';
    const clientId = request.params.get('client_id');
    const candidates = setup.registrations.filter((r) => r.issuer === iss);
    // A Client ID the tool holds no registration for is refused, as ltijs and pylti1.3 refuse it: never another's.
    const registration = candidates.find((r) => clientId === null || r.clientId === clientId);
    if (!registration && candidates.length && clientId !== null) {
      sendHtml(
        response,
        400,
        `<!DOCTYPE html><html><body><h1>Unregistered client</h1><p>No LTI 1.3 registration of issuer ` +
          `${escapeHtml(JSON.stringify(iss))} holds client_id ` +
          `${escapeHtml(JSON.stringify(clientId))}.</p></body></html>`,
      );
      return `400 no registration of ${iss} with client_id ${clientId}`;
    }
    if (!registration) {
      sendHtml(
        response,
        400,
        `<!DOCTYPE html><html><body><h1>Unregistered ` +
          `platform</h1><p>No LTI 1.3 platform is registered ` +
          `with issuer ${escapeHtml(JSON.stringify(iss))}.</p></body></html>`,
      );
      return `400 unregistered platform ${iss}`;
    }
    const state = randomHex(16);
    const nonce = randomHex(16);
    pending.set(state, { nonce, registration, created: now() });
    const behaviour = setup.behaviour ?? {};
    const params: Record<string, string> = {
      scope: 'openid',
      response_type: 'id_token',
      response_mode: 'form_post',
      prompt: 'none',
      client_id: registration.clientId,
      redirect_uri: setup.urls.redirectUrls[0] ?? setup.urls.toolUrl,
      login_hint: behaviour.loginHint ?? request.params.get('login_hint') ?? '',
      state,
      nonce,
    };
    if (behaviour.omitResponseMode) delete params.response_mode;
    const hint = request.params.get('lti_message_hint');
    if (hint !== null) params.lti_message_hint = hint;
    const attributes = behaviour.stateCookieAttributes ?? `SameSite=${behaviour.stateCookieSameSite ?? 'None'}; Secure`;
    const cookie = `${STATE_COOKIE}=${state}; Path=/; HttpOnly${attributes.trim() ? `; ${attributes.trim()}` : ''}`;
    if (behaviour.postWithRepost) {
      sendHtml(
        response,
        200,
        autoSubmitPage({
          name: 'ltiAuthRequest',
          action: registration.authUrl,
          method: 'post',
          fields: { ...params, repost: '1' },
        }),
        { 'set-cookie': cookie },
      );
      return `200 form POST to ${registration.authUrl} (with repost)`;
    }
    const auth = new URL(registration.authUrl);
    for (const [key, value] of Object.entries(params)) auth.searchParams.set(key, value);
    redirect(response, auth.toString(), { 'set-cookie': cookie });
    return `302 to ${registration.authUrl}`;
  };

  const launch = async (request: ParsedRequest, response: ServerResponse): Promise<string> => {
    const state = request.params.get('state') ?? '';
    const results: CheckResult[] = [];
    const error = request.params.get('error');
    if (error) {
      const description = request.params.get('error_description') ?? undefined;
      const record: LaunchRecord = {
        state,
        ok: false,
        platformError: { error, ...(description ? { description } : {}) },
        results,
      };
      reportPage(response, record);
      return `400 platform answered error=${error}`;
    }
    const cookie = request.cookies[STATE_COOKIE];
    const found = pending.get(state);
    if (!state)
      results.push({
        id: 'state.present',
        title: 'State parameter',
        status: 'fail',
        finding: 'no state posted with the id_token',
      });
    if (cookie === undefined) {
      results.push({
        id: 'state.cookie',
        title: 'State cookie',
        status: 'fail',
        faq: 'F.7',
        finding:
          `the browser did not send the tool's ${STATE_COOKIE} ` +
          `cookie back with the launch (blocked third-party ` +
          `cookie, iframe launch, SameSite)`,
        fix: {
          system: 'Moodle',
          field: 'Default launch container',
          value: 'New window',
          action: 'launch in a new window so the cookie is first-party',
        },
      });
    } else if (cookie !== state) {
      results.push({
        id: 'state.cookie',
        title: 'State cookie',
        status: 'fail',
        finding: 'the state cookie does not match the posted state (another launch in the same browser, or a replay)',
      });
    } else {
      results.push({ id: 'state.cookie', title: 'State cookie', status: 'pass', finding: 'state cookie matches' });
    }
    if (state && !found)
      results.push({
        id: 'state.known',
        title: 'State known to the tool',
        status: 'fail',
        finding: 'the state is unknown or already used (a replayed or stale launch)',
      });
    pending.delete(state);
    const idToken = request.params.get('id_token') ?? '';
    const report = await verifyLaunchToken(idToken, {
      registrations: found ? [found.registration] : setup.registrations,
      fetchKeyset: setup.fetchKeyset,
      ...(found ? { expectedNonce: found.nonce } : {}),
      usedNonces,
      now: now(),
      leewaySeconds: setup.leewaySeconds,
    });
    results.push(...report.results);
    if (report.payload && !report.results.some((r) => r.status === 'fail'))
      results.push(...insperaExpectations(report.payload));
    const ok = !results.some((r) => r.status === 'fail');
    const provisioning =
      ok && setup.http && found && report.payload
        ? await provisionCandidates(report.payload, {
            http: setup.http,
            registration: found.registration,
            key: setup.key,
            ...(setup.membershipPageSize ? { pageSize: setup.membershipPageSize } : {}),
          })
        : undefined;
    if (provisioning) {
      results.push({
        id: 'inspera.provisioning',
        title: 'Candidate auto-provisioning (NRPS)',
        status: provisioning.ok ? 'pass' : 'warn',
        finding: provisioning.summary,
        faq: 'FAQ 3',
      });
    }
    const record: LaunchRecord = {
      state,
      ok,
      results,
      ...(report.payload ? { payload: report.payload } : {}),
      ...(report.header ? { header: report.header } : {}),
      ...(provisioning ? { provisioning } : {}),
    };
    reportPage(response, record);
    return record.ok
      ? '200 launch accepted'
      : `401 launch rejected: ${results
          .filter((r) => r.status === 'fail')
          .map((r) => r.id)
          .join(', ')}`;
  };

  const server = await startServer(async (request, response) => {
    const p = request.url.pathname;
    let note: string;
    if (p === keysetPath && request.method === 'GET') {
      send(response, 200, JSON.stringify({ keys: [setup.key.jwk] }), { 'content-type': 'application/json' });
      note = '200 JWKS';
    } else if (p === loginPath) note = login(request, response);
    else if (launchPaths.has(p) && request.method === 'POST') note = await launch(request, response);
    else if (launchPaths.has(p)) {
      send(response, 405, 'The launch endpoint takes the id_token form POST.', {
        'content-type': 'text/plain',
        allow: 'POST',
      });
      note = '405 (launch takes POST)';
    } else {
      send(response, 404, 'Not Found', { 'content-type': 'text/plain' });
      note = '404';
    }
    setup.onRequest?.({ method: request.method, path: p, status: response.statusCode, note });
  }, options);
  return { setup, server, close: () => server.close() };
}
