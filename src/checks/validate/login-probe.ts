import type { ProbeResult } from '../../http/probe.js';
import { registrationFor } from '../../moodle/registration.js';
import type { ValidateContext } from './context.js';
import { NO_TENANT } from './tool-checks.js';
import { readLoginAnswer, type LoginAnswer } from './login-answer.js';

/** The probe's hints: marked as the CLI's own, so no Moodle user, launch or session is named or used. */
export const PROBE_LOGIN_HINT = 'inspera-lti-probe';
export const PROBE_MESSAGE_HINT = '{"launchid":"inspera-lti-probe-not-a-launch"}';

/** What the login probe sent: the recorded values, as Moodle's launch.php sends them. */
export interface LoginProbeSent {
  url: string;
  fields: Record<string, string>;
  /** Moodle's Authentication request URL, as recorded. */
  authRequestUrl: string;
}

export interface LoginProbe {
  sent: LoginProbeSent;
  /** Moodle's way: an auto-submitted form POST (mod/lti/locallib.php lti_initiate_login, method="post"). */
  post: ProbeResult;
  get: ProbeResult;
  postAnswer?: LoginAnswer;
  getAnswer?: LoginAnswer;
}

/** Why the probe cannot be sent: what is not recorded. */
export function loginProbeMissing(ctx: ValidateContext): string | undefined {
  if (!ctx.config.tool) return NO_TENANT;
  const { platformId, clientId, deploymentId } = ctx.config.platform;
  if (!platformId?.trim() || !clientId?.trim() || !deploymentId?.trim())
    return 'the Platform ID, Client ID and Deployment ID are not recorded (run inspera-lti record)';
  return undefined;
}

/**
 * A login initiation as Moodle sends one (iss, target_link_uri, login_hint, lti_message_hint, client_id,
 * lti_deployment_id), by POST and by GET, neither followed: the answer says where the tool sends the browser next.
 * The requests go through the context, so the checks that read them share one pair.
 */
export async function sendLoginProbe(ctx: ValidateContext): Promise<LoginProbe> {
  const tool = ctx.config.tool!;
  const platform = ctx.config.platform;
  const fields = {
    iss: platform.platformId!.trim(),
    target_link_uri: tool.urls.toolUrl,
    login_hint: PROBE_LOGIN_HINT,
    lti_message_hint: PROBE_MESSAGE_HINT,
    client_id: platform.clientId!.trim(),
    lti_deployment_id: platform.deploymentId!.trim(),
  };
  const url = tool.urls.loginInitUrl;
  const query = new URL(url);
  for (const [key, value] of Object.entries(fields)) query.searchParams.set(key, value);
  const [post, get] = await Promise.all([
    ctx.get(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
      followRedirects: false,
    }),
    ctx.get(query.toString(), { followRedirects: false }),
  ]);
  const authRequestUrl = registrationFor(platform)?.authUrl ?? `${fields.iss}/mod/lti/auth.php`;
  return {
    sent: { url, fields, authRequestUrl },
    post,
    get,
    ...(post.ok ? { postAnswer: readLoginAnswer(post) } : {}),
    ...(get.ok ? { getAnswer: readLoginAnswer(get) } : {}),
  };
}
