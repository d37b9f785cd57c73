import type { CauseId } from '../core/causes.js';

/**
 * For the troubleshooting catalogue (docs/troubleshooting.md): what the user meets, how support confirms it with
 * inspera-lti, and the question people ask about it. One entry per cause in causes.ts (a test keeps them in step).
 */
export interface CauseNotes {
  symptom: string;
  confirm: string;
  question: string;
}

export const CAUSE_NOTES: Record<CauseId, CauseNotes> = {
  'issuer-mismatch': {
    symptom: 'every launch fails at Inspera with an unknown or unregistered platform / issuer',
    confirm:
      '`inspera-lti validate` (discovery issuer byte for byte) or ' +
      '`inspera-lti doctor --token <id_token>` (iss against the ' +
      'recorded Platform ID)',
    question: 'Why does Inspera say the platform is not registered although it is?',
  },
  'redirect-uri': {
    symptom: 'Moodle shows "Invalid request" right after the activity opens; nothing reaches Inspera',
    confirm:
      '`inspera-lti doctor --har launch.har` (the redirect_uri sent ' +
      'against the registered ones), or `simulate launch --platform-url ' +
      '…`',
    question: 'Why does Moodle say "Invalid request" when the activity is opened?',
  },
  'launch-state-lost': {
    symptom: 'Moodle shows "Invalid request" although the Redirection URI is right',
    confirm:
      '`inspera-lti doctor --har launch.har`: whether the Moodle ' +
      'session cookie reached auth.php, and whether the launch was ' +
      'replayed',
    question: 'Why does "Invalid request" come and go?',
  },
  'client-id': {
    symptom: "Inspera posts back or shows unauthorized_client, or rejects the token's audience",
    confirm: '`inspera-lti doctor --error unauthorized_client` and `inspera-lti validate --client-id <id>`',
    question: 'Which Client ID does Inspera need?',
  },
  'deployment-id': {
    symptom: 'Inspera rejects the launch: deployment not registered',
    confirm: '`inspera-lti doctor --token <id_token>` shows the deployment_id Moodle sent',
    question: 'What is the Deployment ID and where does Inspera get it?',
  },
  'platform-keyset': {
    symptom: 'Inspera cannot verify the launch: no key found, signature invalid or keyset unreachable',
    confirm: '`inspera-lti validate` (certs.php) and `inspera-lti doctor --token <id_token> --keyset <certs.json|url>`',
    question: 'Which keyset URL does Inspera need from Moodle?',
  },
  'clock-skew': {
    symptom:
      'the launch fails with an expired or not-yet-valid token, or ' +
      'token.php says "Cannot handle token with iat prior to …"',
    confirm: '`inspera-lti validate` (clock skew of both sides from their Date headers)',
    question: 'Why does a launch fail only on some days or servers?',
  },
  'tool-registration': {
    symptom:
      'every launch stops at an Inspera error page ("domain not approved", "unregistered platform") before Moodle ' +
      'asks anything; nobody reaches a test',
    confirm:
      '`inspera-lti validate` or `doctor --live` (a login initiation sent to Inspera as Moodle sends one, with the ' +
      'recorded values: a registered Moodle gets a redirect to its own auth.php)',
    question: 'Why does Inspera say our Moodle or domain is not approved?',
  },
  'tool-cookie-attributes': {
    symptom: 'Inspera rejects every launch with a missing state cookie, in a new window too, in every browser',
    confirm:
      '`inspera-lti doctor --har launch.har` (the Set-Cookie of the state cookie, and whether the launch was embedded)',
    question: 'Why does a new window not help with the missing state cookie?',
  },
  'state-cookie': {
    symptom:
      'Inspera rejects the launch with a missing validation/state ' +
      'cookie, usually only in Safari, a private window or an embedded ' +
      '(iframe) launch',
    confirm:
      '`inspera-lti doctor --har launch.har` (which cookie was set and ' +
      'not sent back, and why); reproduce with `simulate launch ' +
      '--launch-container embed --block-third-party-cookies`',
    question: 'Why does the launch fail in Safari or inside the Moodle page?',
  },
  'login-hint': {
    symptom: 'Moodle posts back access_denied',
    confirm: '`inspera-lti doctor --har launch.har` (the login_hint sent by Moodle and by the tool)',
    question: 'Why does Moodle answer access_denied?',
  },
  'auth-request': {
    symptom:
      'Moodle posts back invalid_request ("Invalid response_mode", "Invalid prompt") or unsupported_response_type',
    confirm: "`inspera-lti doctor --har launch.har` (the tool's request to auth.php, parameter by parameter)",
    question: "What must the tool send to Moodle's auth.php?",
  },
  repost: {
    symptom:
      'after a Moodle update, Moodle shows "Invalid request" for a tool that POSTs its authentication request ' +
      '(it worked before the update)',
    confirm: '`inspera-lti doctor --har launch.har` (a "repost" field in the tool\'s POST to auth.php)',
    question: "Why does a tool's POST to auth.php fail where a redirect works?",
  },
  replay: {
    symptom: 'a second use of the same launch is refused (or, worse, accepted)',
    confirm: '`inspera-lti doctor --har launch.har` (the same id_token posted twice)',
    question: "Why does the browser's back button break the launch?",
  },
  'tool-keyset': {
    symptom: 'grades or enrolment never reach Moodle; token.php answers an HTML error page instead of JSON',
    confirm:
      '`inspera-lti validate` (token.php and the keyset it downloads; ' +
      "names Moodle's cURL blocked hosts list when that is what blocks " +
      'it)',
    question: 'Why does Moodle answer an error page to the token request?',
  },
  'tool-key': {
    symptom: 'token.php answers "kid" invalid or kid must be provided',
    confirm: '`inspera-lti doctor --token <client assertion>` and `--error "<message>"`',
    question: "Why does token.php not find the tool's key?",
  },
  'client-unknown': {
    symptom: 'token.php answers invalid_client',
    confirm: '`inspera-lti validate` (token.php probe with the recorded Client ID)',
    question: 'Why does token.php say invalid_client?',
  },
  scope: {
    symptom: 'token.php answers invalid_scope, or grants fewer scopes than asked',
    confirm: "`inspera-lti simulate grade` (scopes asked and granted) and Moodle's services settings",
    question: 'Which Moodle services does Inspera need?',
  },
  'score-timestamp': {
    symptom: 'a mark is refused with 409 "Refusing score with an earlier timestamp"',
    confirm: '`inspera-lti doctor --error "<message>"`; `simulate grade --scenario score-older-timestamp` shows it',
    question: 'Why is a re-sent mark refused?',
  },
  'not-fully-graded': {
    symptom: 'Moodle accepts the mark (200) but the gradebook stays empty',
    confirm: '`inspera-lti simulate grade` reads the grade back through AGS results',
    question: 'Why do marks not show in the Moodle gradebook?',
  },
  'ags-off': {
    symptom: 'marks never reach Moodle; the launch has no AGS claim',
    confirm: '`inspera-lti doctor --token <id_token>` or `simulate launch` (no AGS endpoint claim)',
    question: 'Why can Inspera not send marks to Moodle?',
  },
  'accept-grades': {
    symptom: 'the launch has an AGS claim but no lineitem',
    confirm: '`inspera-lti doctor --token <id_token>` (AGS claim without lineitem)',
    question: 'Why is there no grade column for the activity?',
  },
  'nrps-off': {
    symptom: 'candidates are not enrolled on the Inspera test automatically',
    confirm:
      '`inspera-lti simulate launch --persona instructor` (the ' +
      'candidate provisioning report) or `doctor --token <id_token>` ' +
      '(no NRPS claim)',
    question: 'Why are candidates not added to the test automatically?',
  },
  privacy: {
    symptom: 'Inspera shows no names or e-mail addresses, or skips candidates',
    confirm:
      '`inspera-lti doctor --token <id_token>` (no name/email claims), ' +
      '`simulate launch --persona instructor` (who would be skipped and ' +
      'why)',
    question: 'Why does Inspera get no names or e-mail addresses?',
  },
  'custom-parameter': {
    symptom: 'a setting meant for Inspera has no effect',
    confirm: '`inspera-lti doctor --token <id_token>` (custom parameters, with did-you-mean for misspellings)',
    question: 'Which custom parameters does Inspera understand?',
  },
  'authorization-stripped': {
    symptom: "launches work, but Inspera's grades and candidate lists fail: Moodle answers its services with 401",
    confirm:
      '`inspera-lti validate` (one GET of openid-registration.php with a bearer that is not a token: ' +
      '"missing_registration_token" means the header never reached PHP)',
    question: "Why does Moodle answer Inspera's grade posts with 401 when the launch works?",
  },
  'local-network-access': {
    symptom:
      'an embedded Inspera stays blank in Chrome (and Edge) since version 142, and works in a new window or ' +
      'another browser; the tool is on an internal address',
    confirm:
      '`inspera-lti validate` (tool.local-network: the address spaces of Moodle and the tool, as this machine ' +
      "resolves them, the launch container and Moodle's version)",
    question: 'Why does the embedded tool stay blank in Chrome only?',
  },
  'teacher-as-learner': {
    symptom: "a teacher opens the Inspera activity and lands on the candidate's page, not the test's admin page",
    confirm:
      '`inspera-lti doctor --symptom "teachers land on the wrong page" --token <that teacher\'s id_token>` (the ' +
      'roles claim: Learner only)',
    question: 'Why do our teachers see the candidate view in Inspera?',
  },
  'activity-parameter-overridden': {
    symptom: 'a custom parameter a teacher set in one activity has no effect in Inspera',
    confirm: "`inspera-lti doctor --moodle --cmid <activity id>` (the activity's parameters against the tool's)",
    question: 'Why does Inspera not see the custom parameter set in the activity?',
  },
  wwwroot: {
    symptom: 'Moodle endpoints answer redirects or HTML login pages where JSON is expected',
    confirm: '`inspera-lti validate` (each endpoint at the recorded address)',
    question: "Why do Moodle's LTI URLs redirect?",
  },
  unreachable: {
    symptom: 'nothing answers: a DNS name not found, a refused connection or a timeout',
    confirm:
      '`inspera-lti validate` from the machine in question; `HTTPS_PROXY=… inspera-lti validate` through the proxy',
    question: 'Is it the LTI settings or the network?',
  },
  tls: {
    symptom: "browsers or servers refuse the site's certificate",
    confirm: '`inspera-lti validate` names the certificate problem',
    question: 'Why does a server-to-server request fail when the browser works?',
  },
  'site-error': {
    symptom: 'the site answers HTTP errors or loops where an LTI endpoint should answer',
    confirm: "`inspera-lti validate` (each endpoint's answer)",
    question: 'Is the Moodle or Inspera site up?',
  },
  'recorded-value': {
    symptom: 'a value that looks right does not match (spaces, a wrong path, a value in the wrong field)',
    confirm: '`inspera-lti record` checks each value; `inspera-lti validate` compares them with the live site',
    question: 'Why does a pasted value not work?',
  },
  'token-damaged': {
    symptom: 'a pasted token is refused although its claims look right, or its times read as nonsense dates',
    confirm:
      '`inspera-lti doctor --token <file>` (the form: signature length, times, iss and aud) — no key or config needed',
    question: 'Is this token the one Moodle sent?',
  },
  'token-claims': {
    symptom: 'Inspera rejects the launch as not an LTI 1.3 resource-link launch',
    confirm: '`inspera-lti doctor --token <id_token>` (the claims Moodle always sends)',
    question: 'Did this launch come from Moodle?',
  },
  'ags-request': {
    symptom: 'services.php answers 400 "No handler found" or "Incorrect score received"',
    confirm: '`inspera-lti doctor --error "<message>"`; `simulate grade` shows a good request',
    question: 'Why does Moodle refuse a grade request?',
  },
  'token-request': {
    symptom:
      'grades or enrolment never reach Moodle; token.php answers 400 ' +
      '{"error": "invalid_request"} or unsupported_grant_type',
    confirm:
      '`inspera-lti doctor --error \'{"error" : "invalid_request"}\'` ' +
      'and `inspera-lti simulate grade` (the token request the embedded ' +
      'tool sends)',
    question: "What does Moodle's token.php accept?",
  },
  'tool-deleted': {
    symptom: 'opening the activity shows "The LTI tool used in this activity has been deleted"',
    confirm: '`inspera-lti doctor --error "<the message>"`; in Moodle, Manage tools lists no such tool',
    question: 'Why does an old activity say its tool was deleted?',
  },
  'no-activity': {
    symptom: 'Moodle answers "Can\'t find data record in database" when the activity is opened or launched',
    confirm: "`inspera-lti simulate launch --platform-url … --cmid N` with the id from the activity's address",
    question: 'Which number is the activity id?',
  },
  'not-configured-test': {
    symptom: 'candidates get a 404 from Inspera',
    confirm: "`inspera-lti doctor --har launch.har` (the tool's answer)",
    question: 'Why does Inspera answer 404 to a launch?',
  },
  'tool-setting': {
    symptom: 'launches fail or features are missing although the config and the recorded values look right',
    confirm: '`inspera-lti doctor --moodle` (every stored field of the tool against what init prescribes)',
    question: 'How do I check the tool configuration in Moodle?',
  },
  'tool-rejected': {
    symptom: 'Inspera answers the launch with an error page',
    confirm: '`inspera-lti doctor --har launch.har --report ticket.md` and send the report',
    question: "What does Inspera's error page mean?",
  },
};
