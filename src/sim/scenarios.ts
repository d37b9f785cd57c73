import { cause, type CauseId } from '../core/causes.js';
import type { Fix } from '../core/result.js';
import { SCOPE } from '../lti/claims.js';
import type { EnvironmentPlan } from './environment.js';
import type { LtiWire } from '../moodle/versions.js';
import type { GradeOutcome } from './grade-flow.js';
import type { LaunchOutcome } from './launch-flow.js';

/** Knobs a scenario may turn on the run itself (not on either system's settings). */
export interface RunTweaks {
  blockThirdPartyCookies?: boolean;
  replay?: boolean;
  gradeScopes?: string[];
  olderSecondScore?: boolean;
  /** Sign the client assertion with a key the tool does not publish. */
  rotatedToolKey?: boolean;
  scoreUrlAfterQuery?: boolean;
  scoreUserId?: string;
  gradingProgress?: string;
}

export interface ScenarioRun {
  launch: LaunchOutcome;
  grade?: GradeOutcome;
}

export interface Scenario {
  name: string;
  title: string;
  faq?: string;
  /** A grade scenario launches a learner, then runs the AGS flow. */
  kind: 'launch' | 'grade';
  /**
   * The sides whose settings or behaviour it changes: Moodle's (the embedded platform), Inspera's (the embedded tool:
   * its registration of Moodle, its requests); none when only the browser acts differently. A side that is the user's
   * own system (--platform-url, --tool-*-url) cannot be changed, so the scenario cannot be staged against it.
   */
  changes: Array<'Moodle' | 'Inspera'>;
  /** It shows only when the tool is another site than the platform (third-party cookies). */
  needsCrossSite?: true;
  /** The Moodle releases where it fails (src/moodle/versions.ts); elsewhere it is reported as not applying. */
  moodle?: {
    applies: (wire: LtiWire) => boolean;
    /** Those releases, as people say them. */
    releases: string;
    /** Why it works on the others. */
    elsewhere: string;
  };
  apply(plan: EnvironmentPlan, tweaks: RunTweaks): void;
  /** Did the run show this scenario's symptom? */
  reproduced(run: ScenarioRun): boolean;
  /** The cause `doctor` must name first for this failure (src/core/causes.ts). */
  diagnosis: CauseId;
  /** The symptom a user meets, in their words. */
  symptom: string;
  cause: string;
  /** The fix: its cause's (src/core/causes.ts), filled in below, unless the scenario knows a more specific one. */
  fix: Fix;
}

/** A scenario as written: the fix is its cause's unless it knows a more specific action or a fix of its own. */
type ScenarioDefinition = Omit<Scenario, 'fix'> & {
  /** The cause's fix with this action: the scenario knows what exactly to do. */
  action?: string;
  /** A fix of its own, where its cause's names another system or screen. */
  fix?: Fix;
};

const reg = (plan: EnvironmentPlan) => plan.tool.registrations[0]!;
const toolFailed = (run: ScenarioRun, id: string) =>
  run.launch.tool?.results.some((r) => r.id === id && r.status === 'fail') === true;
const toolWarned = (run: ScenarioRun, id: string) =>
  run.launch.tool?.results.some((r) => r.id === id && r.status === 'warn') === true;

const ALL: readonly ScenarioDefinition[] = [
  {
    name: 'issuer-trailing-slash',
    changes: ['Inspera'],
    title: 'Platform ID registered with a trailing slash',
    kind: 'launch',
    faq: 'F.1',
    diagnosis: 'issuer-mismatch',
    apply: (plan) => void (reg(plan).issuer = plan.platform.wwwroot + '/'),
    reproduced: (run) => run.launch.stage === 'login-initiation',
    symptom: 'the tool answers the login initiation with "Unregistered platform"',
    cause:
      'Inspera has the Platform ID with a trailing "/", but Moodle\'s ' +
      'iss never has one, so the issuers differ byte for byte',
    action: 'register the Platform ID exactly as Moodle shows it, without the trailing slash',
  },
  {
    name: 'issuer-http',
    changes: ['Inspera'],
    title: 'Platform ID registered with http:// instead of https://',
    kind: 'launch',
    faq: 'F.1',
    diagnosis: 'issuer-mismatch',
    apply: (plan) => void (reg(plan).issuer = plan.platform.wwwroot.replace(/^https:/, 'http:')),
    reproduced: (run) => run.launch.stage === 'login-initiation',
    symptom: 'the tool answers the login initiation with "Unregistered platform"',
    cause: 'Inspera has the Platform ID as http://…, Moodle sends its https:// wwwroot as iss',
    action: "register the https:// Platform ID from Moodle's Tool configuration details",
  },
  {
    name: 'tool-no-registration',
    changes: ['Inspera'],
    title: 'Inspera holds no registration of this Moodle',
    kind: 'launch',
    faq: 'A.3',
    diagnosis: 'tool-registration',
    apply: (plan) => void (plan.tool.registrations = []),
    reproduced: (run) => run.launch.stage === 'login-initiation',
    symptom: 'the tool answers the login initiation with an error page ("Unregistered platform"); nobody gets in',
    cause:
      'Inspera was never given this Moodle (or its registration was removed): whatever the six values, it knows no ' +
      'platform with this issuer',
  },
  {
    name: 'wrong-client-id',
    changes: ['Inspera'],
    title: 'Wrong Client ID registered in Inspera',
    kind: 'launch',
    faq: 'F.3',
    diagnosis: 'client-id',
    apply: (plan) => void (reg(plan).clientId = 'Xq8mWn2PzL5tR7v'),
    // A tool refuses a Client ID it holds no registration of at the login initiation (ltijs, pylti1.3 and the
    // embedded tool); one that sent its own instead would meet Moodle's unauthorized_client.
    reproduced: (run) =>
      (run.launch.stage === 'login-initiation' && run.launch.cause?.id === 'client-id') ||
      run.launch.platformError?.error === 'unauthorized_client',
    symptom: 'the tool refuses the login initiation: it holds no registration of this Moodle with that Client ID',
    cause:
      "Inspera's registration of this Moodle holds another Client ID than the Moodle tool type's (copy error, " +
      "another tool's id), so the Client ID Moodle sends is unknown to it",
  },
  {
    name: 'wrong-deployment-id',
    changes: ['Inspera'],
    title: 'Wrong Deployment ID registered in Inspera',
    kind: 'launch',
    diagnosis: 'deployment-id',
    apply: (plan) => void (reg(plan).deploymentIds = [String(Number(plan.platform.typeId) + 1)]),
    reproduced: (run) => toolFailed(run, 'claim.deployment_id'),
    symptom: 'the tool rejects the launch: deployment_id not registered',
    cause: 'Moodle sends its tool type id as deployment_id; Inspera has another number',
  },
  {
    name: 'missing-deployment-id',
    changes: ['Inspera'],
    title: 'No Deployment ID registered in Inspera',
    kind: 'launch',
    diagnosis: 'deployment-id',
    apply: (plan) => void (reg(plan).deploymentIds = []),
    reproduced: (run) => toolFailed(run, 'claim.deployment_id'),
    symptom: 'the tool rejects the launch: deployment_id not registered',
    cause: 'Inspera has no deployment id for this Moodle, so no deployment_id is accepted',
  },
  {
    name: 'unknown-kid',
    changes: ['Inspera'],
    title: "Keyset URL registered in Inspera is not Moodle's (unknown kid)",
    kind: 'launch',
    faq: 'F.12',
    diagnosis: 'platform-keyset',
    apply: (plan) => void (reg(plan).keysetUrl = plan.tool.urls.keysetUrl),
    reproduced: (run) => toolFailed(run, 'jwks.kid'),
    symptom: "the tool rejects the launch: no key with the id_token's kid in the registered keyset",
    cause:
      "Inspera was given a keyset URL that is not Moodle's certs.php " +
      "(here: Inspera's own key-url), so Moodle's signing key is not in " +
      'it',
  },
  {
    name: 'keyset-unreachable',
    changes: ['Inspera'],
    title: 'Moodle keyset URL unreachable',
    kind: 'launch',
    faq: 'F.12',
    diagnosis: 'platform-keyset',
    apply: (plan) =>
      void (reg(plan).keysetUrl = plan.platform.wwwroot.replace(/^(https?:\/\/)/, '$1old-') + '/mod/lti/certs.php'),
    reproduced: (run) => toolFailed(run, 'jwks.fetch'),
    symptom: 'the tool rejects the launch: it cannot read the platform keyset',
    cause: 'the keyset URL Inspera has points to a host that does not answer (an old or mistyped Moodle address)',
  },
  {
    name: 'clock-behind',
    changes: ['Moodle'],
    title: "Moodle's clock 2 minutes behind (expired id_token)",
    kind: 'launch',
    faq: 'F.9',
    diagnosis: 'clock-skew',
    apply: (plan) => void (plan.platform.clockOffsetSeconds = -120),
    reproduced: (run) => toolFailed(run, 'claim.exp'),
    symptom: 'the tool rejects the launch: the id_token has expired',
    cause:
      "Moodle's id_token lives 60 s (exp = iat + 60); with Moodle's " +
      'clock 120 s behind it is already expired when it arrives',
  },
  {
    name: 'clock-ahead',
    changes: ['Moodle'],
    title: "Moodle's clock 2 minutes ahead (id_token not yet valid)",
    kind: 'launch',
    faq: 'F.9',
    diagnosis: 'clock-skew',
    apply: (plan) => void (plan.platform.clockOffsetSeconds = 120),
    reproduced: (run) => toolFailed(run, 'claim.iat'),
    symptom: 'the tool rejects the launch: the id_token was issued in the future',
    cause: "Moodle's clock is ahead of the tool's by more than the tool's leeway, so iat lies in the future",
  },
  {
    name: 'redirect-uri-not-registered',
    changes: ['Moodle'],
    title: "Redirection URI in Moodle not exactly the tool's",
    kind: 'launch',
    faq: 'F.2',
    diagnosis: 'redirect-uri',
    apply: (plan) => void (plan.platform.tool.redirectUrls = plan.platform.tool.redirectUrls.map((u) => u + '/')),
    reproduced: (run) => run.launch.stage === 'authentication' && !run.launch.platformError,
    symptom: 'Moodle shows "Invalid request" right after the activity is opened; nothing reaches Inspera',
    cause:
      "the redirect_uri Inspera sends must equal a line of Moodle's " +
      'Redirection URI(s) byte for byte; here Moodle has it with a ' +
      'trailing slash',
  },
  {
    name: 'lost-state-cookie',
    changes: ['Moodle'],
    needsCrossSite: true,
    title: 'Tool state cookie lost (iframe / Safari / private window)',
    kind: 'launch',
    faq: 'F.7',
    diagnosis: 'state-cookie',
    apply: (plan, tweaks) => {
      plan.platform.settings.launchContainer = 'embed';
      tweaks.blockThirdPartyCookies = true;
    },
    reproduced: (run) => toolFailed(run, 'state.cookie'),
    symptom: 'the tool rejects the launch: its state cookie was not sent back',
    cause:
      'the activity opens Inspera in an iframe (launch container Embed) ' +
      'and the browser blocks third-party cookies (Safari ITP, private ' +
      "windows, strict settings), so the tool's state cookie is never " +
      'kept',
  },
  {
    name: 'nonce-replay',
    changes: [],
    title: 'The same id_token posted twice (replay)',
    kind: 'launch',
    diagnosis: 'replay',
    apply: (_plan, tweaks) => void (tweaks.replay = true),
    // Only a launch the tool accepted shows a refused replay: a tool that refuses every launch refuses the second too.
    reproduced: (run) =>
      run.launch.ok &&
      ((run.launch.replay !== undefined && !run.launch.replay.ok) || run.launch.replayAnswer?.refused === true),
    symptom: 'the second post of the same id_token is refused (state already used, nonce replayed)',
    cause:
      'an id_token and its state are single use: a browser back button, ' +
      'a double submit or a replayed capture reuses them',
    action: 'start a new launch from the Moodle activity instead of reloading the tool page',
  },
  {
    name: 'nrps-off',
    changes: ['Moodle'],
    title: 'Names and Role Provisioning off (no candidate auto-enrolment)',
    kind: 'launch',
    faq: 'F.22',
    diagnosis: 'nrps-off',
    apply: (plan) => void (plan.platform.settings.services.nrps = false),
    reproduced: (run) => toolWarned(run, 'inspera.nrps'),
    symptom: 'launches work, but candidates are not enrolled on the Inspera test automatically',
    cause:
      'without the NRPS claim Inspera cannot read the course members, ' +
      'so enroll_candidates=true has nothing to work with',
  },
  {
    name: 'privacy-never',
    changes: ['Moodle'],
    title: 'Privacy: name and email Never',
    kind: 'launch',
    faq: 'F.21',
    diagnosis: 'privacy',
    apply: (plan) => void Object.assign(plan.platform.settings.privacy, { shareName: 'never', shareEmail: 'never' }),
    reproduced: (run) => toolWarned(run, 'inspera.name') && toolWarned(run, 'inspera.email'),
    symptom: 'launches work, but Inspera users have no names or e-mail addresses',
    cause:
      'Moodle 4.3+ defaults "Share launcher\'s name/email with tool" to ' +
      'Never, so no name, given_name, family_name or email claims are ' +
      'sent',
  },
  {
    name: 'ags-off',
    changes: ['Moodle'],
    title: 'Assignment and Grade Services off',
    kind: 'grade',
    faq: 'F.18',
    diagnosis: 'ags-off',
    apply: (plan) => void (plan.platform.settings.services.ags = 'off'),
    reproduced: (run) => run.grade?.stage === 'claim',
    symptom: 'marks confirmed in Inspera never reach the Moodle gradebook',
    cause: 'with AGS off the launch carries no AGS claim and token.php grants no AGS scope',
  },
  {
    name: 'accept-grades-off',
    changes: ['Moodle'],
    title: 'Accept grades from the tool: Never',
    kind: 'grade',
    faq: 'F.18',
    diagnosis: 'accept-grades',
    apply: (plan) => void (plan.platform.settings.privacy.acceptGrades = 'never'),
    reproduced: (run) => run.grade?.stage === 'claim',
    symptom: 'marks never reach the Moodle gradebook; the activity has no grade',
    cause: 'without Accept grades the activity has no grade item, so the AGS claim has no lineitem to post to',
  },
  {
    name: 'scope-not-granted',
    changes: ['Moodle', 'Inspera'],
    title: 'Tool asks only for a scope Moodle does not grant',
    kind: 'grade',
    faq: 'F.14',
    diagnosis: 'scope',
    apply: (plan, tweaks) => {
      plan.platform.settings.services.ags = 'grade-sync';
      tweaks.gradeScopes = [SCOPE.lineItem];
    },
    reproduced: (run) => run.grade?.token?.error === 'invalid_scope',
    symptom: 'token.php answers 400 invalid_scope; no marks can be sent',
    cause:
      'AGS is "grade sync only", which does not permit the lineitem ' +
      '(column management) scope, and nothing else was asked for',
    action: 'choose column management, as Inspera requires',
  },
  {
    name: 'score-older-timestamp',
    changes: ['Inspera'],
    title: 'Score posted with an older timestamp',
    kind: 'grade',
    faq: 'F.17',
    diagnosis: 'score-timestamp',
    apply: (_plan, tweaks) => void (tweaks.olderSecondScore = true),
    reproduced: (run) => run.grade?.scores.some((s) => s.status === 409) === true,
    symptom: 'the second score POST answers 409 "Refusing score with an earlier timestamp…"',
    cause: "Moodle refuses a score whose timestamp is not newer than the stored grade's (whole seconds)",
  },
  {
    name: 'tool-keyset-unreachable',
    changes: ['Moodle'],
    title: 'Inspera keyset URL in Moodle wrong (token.php fatal error)',
    kind: 'grade',
    faq: 'F.13',
    diagnosis: 'tool-keyset',
    apply: (plan) =>
      void (plan.platform.tool.keysetUrl = plan.platform.tool.keysetUrl!.replace(
        /PublicCertificates$/,
        'PublicCertificate',
      )),
    reproduced: (run) => run.grade?.stage === 'token' && run.grade.token?.status === 404,
    symptom: 'token.php answers an HTML error page instead of {"error": …}; no marks can be sent',
    cause: 'Moodle could not download the tool keyset (404 here), and token.php fails with an uncaught TypeError',
  },
  {
    name: 'tool-key-rotated',
    changes: ['Inspera'],
    title: 'Tool signs with a key its keyset does not publish',
    kind: 'grade',
    faq: 'F.12',
    diagnosis: 'tool-key',
    apply: (_plan, tweaks) => void (tweaks.rotatedToolKey = true),
    reproduced: (run) => /"kid" invalid/.test(run.grade?.token?.error ?? ''),
    symptom: 'token.php answers 400 "kid" invalid, unable to lookup correct key (as invalid JSON)',
    cause: "the client assertion's kid is not in the keyset Moodle downloads from the registered Public keyset URL",
    fix: {
      system: 'Inspera',
      action: "publish the signing key at the key-url, or check Moodle's Public keyset is this tenant's key-url",
    },
  },
  {
    name: 'tool-cookie-samesite-lax',
    changes: ['Inspera'],
    needsCrossSite: true,
    diagnosis: 'tool-cookie-attributes',
    title: 'Tool state cookie set with SameSite=Lax',
    kind: 'launch',
    faq: 'F.7',
    apply: (plan) => void (plan.tool.behaviour = { ...plan.tool.behaviour, stateCookieSameSite: 'Lax' }),
    reproduced: (run) => toolFailed(run, 'state.cookie'),
    symptom: 'the tool rejects the launch: its state cookie was not sent back',
    cause:
      'Moodle posts the id_token to the tool from its own site; a ' +
      'cookie with SameSite=Lax (or no SameSite) is not sent on that ' +
      'cross-site POST',
  },
  {
    name: 'tool-sends-repost',
    changes: ['Inspera'],
    needsCrossSite: true,
    moodle: {
      applies: (wire) => wire.sessionSameSite === 'lax',
      releases: '4.5.12, 5.0.8, 5.1.5, 5.2.1 and later (MDL-83526)',
      elsewhere:
        'before MDL-83526 Moodle sets its session cookie SameSite=None for Chrome over https, so the ' +
        "tool's cross-site POST carries it and the repost field does no harm",
    },
    diagnosis: 'repost',
    title: 'Tool POSTs the authentication request with a "repost" field',
    kind: 'launch',
    faq: 'F.8',
    apply: (plan) => void (plan.tool.behaviour = { ...plan.tool.behaviour, postWithRepost: true }),
    reproduced: (run) => run.launch.stage === 'authentication' && !run.launch.platformError,
    symptom: 'Moodle shows "Invalid request" after the activity is opened, since a Moodle update',
    cause:
      'the tool POSTs to auth.php cross-site, so the Moodle session ' +
      'cookie (SameSite=Lax since MDL-83526) is not sent, and its "repost" field skips ' +
      "Moodle's repost handshake that would recover it",
  },
  {
    name: 'tool-omits-response-mode',
    changes: ['Inspera'],
    diagnosis: 'auth-request',
    title: 'Tool omits response_mode in its authentication request',
    kind: 'launch',
    faq: 'F.6',
    apply: (plan) => void (plan.tool.behaviour = { ...plan.tool.behaviour, omitResponseMode: true }),
    reproduced: (run) => run.launch.platformError?.description === 'Invalid response_mode',
    symptom: 'Moodle posts error=invalid_request, "Invalid response_mode" back to the tool',
    cause: 'Moodle requires response_mode=form_post; a missing value counts as wrong',
    action: 'the tool must send response_mode=form_post (report it to Inspera support)',
  },
  {
    name: 'tool-alters-login-hint',
    changes: ['Inspera'],
    diagnosis: 'login-hint',
    title: 'login_hint changed between Moodle and auth.php',
    kind: 'launch',
    faq: 'F.4',
    apply: (plan) => void (plan.tool.behaviour = { ...plan.tool.behaviour, loginHint: '2' }),
    reproduced: (run) => run.launch.platformError?.error === 'access_denied',
    symptom: 'Moodle posts error=access_denied back to the tool',
    cause:
      'auth.php requires login_hint to be the logged-in Moodle user; ' +
      "here the tool sent another user's id (the same happens when " +
      'someone logs in as another user mid-launch)',
  },
  {
    name: 'score-url-after-query',
    changes: ['Inspera'],
    diagnosis: 'ags-request',
    title: 'Score POSTed to "/scores" after the query string',
    kind: 'grade',
    faq: 'F.15',
    apply: (_plan, tweaks) => void (tweaks.scoreUrlAfterQuery = true),
    reproduced: (run) => run.grade?.scores[0]?.status === 400 && /No handler found/.test(run.grade.scores[0].body),
    symptom: 'services.php answers 400 "No handler found for …"',
    cause:
      'the score URL is the lineitem URL with /scores inserted before ' +
      '?type_id=…; appended after the query it routes nowhere',
    action: 'insert /scores before the query string (report it to Inspera support)',
  },
  {
    name: 'score-for-teacher',
    changes: ['Inspera'],
    diagnosis: 'ags-request',
    title: 'Score posted for a teacher',
    kind: 'grade',
    faq: 'F.16',
    apply: (_plan, tweaks) => void (tweaks.scoreUserId = '3'),
    reproduced: (run) =>
      run.grade?.scores[0]?.status === 400 && /Incorrect score received/.test(run.grade.scores[0].reason),
    symptom: 'services.php answers 400 "Incorrect score received…"',
    cause:
      'Moodle takes scores only for users enrolled with a gradebook ' +
      'role (students); teacher and admin test accounts are refused',
    fix: { system: 'Moodle', action: 'test grading with a student account' },
  },
  {
    name: 'score-not-fully-graded',
    changes: ['Inspera'],
    diagnosis: 'not-fully-graded',
    title: 'Score sent with gradingProgress other than FullyGraded',
    kind: 'grade',
    faq: 'F.18',
    apply: (_plan, tweaks) => void (tweaks.gradingProgress = 'Pending'),
    reproduced: (run) => run.grade?.stage === 'readback',
    symptom: 'Moodle answers 200, but the gradebook shows no grade',
    cause: 'Moodle keeps scoreGiven only when gradingProgress is FullyGraded; any other value clears the grade',
  },
];

/** Launch scenarios first, then grade ones. */
/** One source of fix text: a scenario's is its cause's, overridden only where the scenario knows more. */
function withFix({ action, fix, ...scenario }: ScenarioDefinition): Scenario {
  const own = cause(scenario.diagnosis).fix;
  return { ...scenario, fix: fix ?? (action ? { ...own, action } : own) };
}

export const SCENARIOS: readonly Scenario[] = [
  ...ALL.filter((s) => s.kind === 'launch'),
  ...ALL.filter((s) => s.kind === 'grade'),
].map(withFix);

export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}
