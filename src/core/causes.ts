import type { Fix } from './fix.js';

/**
 * The catalogue of causes doctor can name (facts F and Inspera's FAQ, E.5). Each finding points at one cause; the
 * weight orders causes that explain a broken launch before those that only cost a feature.
 */
export interface Cause {
  id: CauseId;
  title: string;
  /** The entry in the failure catalogue (facts F) or Inspera FAQ. */
  faq: string;
  /** Why this happens, in plain words. */
  explanation: string;
  fix: Fix;
  /** Higher = more likely to be what breaks the launch the ticket is about. */
  weight: number;
}

const MOODLE_TOOL =
  'Moodle: Site administration > Plugins > Activity modules > External tool > Manage tools > (edit the Inspera tool)';
const INSPERA_REG = "Inspera support: the tenant's LTI 1.3 registration of this Moodle";

const list = [
  {
    id: 'issuer-mismatch',
    title: 'Platform ID (issuer) does not match',
    faq: 'F.1',
    weight: 100,
    explanation:
      "Inspera compares the id_token's iss with the registered Platform " +
      'ID byte for byte; a trailing slash, http instead of https, ' +
      'another host or a missing sub-path (/moodle) breaks every launch',
    fix: {
      system: 'Inspera',
      where: INSPERA_REG,
      field: 'Platform ID',
      action: "register the Platform ID exactly as Moodle's Tool configuration details show it",
    },
  },
  {
    id: 'redirect-uri',
    title: 'Redirection URI not registered exactly in Moodle',
    faq: 'F.2',
    weight: 98,
    explanation:
      "Moodle's auth.php requires the redirect_uri Inspera sends to " +
      'equal one line of "Redirection URI(s)" byte for byte; otherwise ' +
      'it shows "Invalid request" and posts nothing back',
    fix: {
      system: 'Moodle',
      where: `${MOODLE_TOOL} > Tool settings`,
      field: 'Redirection URI(s)',
      value: 'https://{domain}/ltiprovider/launch',
      action: 'enter the URI exactly (run inspera-lti init for the value)',
    },
  },
  {
    id: 'launch-state-lost',
    title: 'Moodle lost the launch (session or state)',
    faq: 'F.2',
    weight: 90,
    explanation:
      'auth.php found no launch state in the Moodle session: the Moodle ' +
      'session cookie was not sent (logged out, cookie blocked) or the ' +
      'launch was replayed/stale (the state is single use)',
    fix: {
      system: 'Moodle',
      action:
        'start a fresh launch from the Moodle activity in the same ' +
        'browser; keep Moodle patched (cross-site repost handshake) and ' +
        'do not reload the tool page',
    },
  },
  {
    id: 'client-id',
    title: 'Client ID differs between Moodle and Inspera',
    faq: 'F.3',
    weight: 96,
    explanation:
      'the client_id Inspera sends (and the aud Moodle signs) must be ' +
      "the Moodle tool type's Client ID; a copy error or another tool's " +
      'id gives unauthorized_client or an aud mismatch',
    fix: {
      system: 'Inspera',
      where: INSPERA_REG,
      field: 'Client ID',
      action: "register the Client ID from Moodle's Tool configuration details",
    },
  },
  {
    id: 'tool-registration',
    title: 'Inspera holds no registration of this Moodle',
    faq: 'A.3',
    weight: 97,
    explanation:
      'Inspera answers a login initiation only for a Moodle it has registered (Platform ID, Client ID, Deployment ' +
      'ID); for any other it shows an error page ("domain not approved", "unregistered platform") and never ' +
      "sends the browser on to Moodle's auth.php, so every launch stops there",
    fix: {
      system: 'Inspera',
      where: INSPERA_REG,
      field: 'Platform ID, Client ID and Deployment ID',
      action:
        "ask Inspera support to register this Moodle with the six values of Moodle's Tool configuration details " +
        '(inspera-lti export writes them)',
    },
  },
  {
    id: 'deployment-id',
    title: 'Deployment ID not registered in Inspera',
    faq: 'A.1',
    weight: 94,
    explanation:
      'Moodle sends its tool type id as deployment_id; Inspera only accepts the deployment ids it has registered',
    fix: {
      system: 'Inspera',
      where: INSPERA_REG,
      field: 'Deployment ID',
      action: "register the Deployment ID from Moodle's Tool configuration details",
    },
  },
  {
    id: 'platform-keyset',
    title: "Inspera cannot use Moodle's keyset",
    faq: 'F.12',
    weight: 92,
    explanation:
      'Inspera verifies the id_token with the key from the registered ' +
      'Public keyset URL; a wrong URL, an unreachable host or a keyset ' +
      "without the id_token's kid fails every launch",
    fix: {
      system: 'Inspera',
      where: INSPERA_REG,
      field: 'Public keyset URL',
      value: '{Platform ID}/mod/lti/certs.php',
      action: "register Moodle's certs.php URL and make sure Inspera can reach it",
    },
  },
  {
    id: 'clock-skew',
    title: 'Clocks out of step',
    faq: 'F.9',
    weight: 88,
    explanation:
      "Moodle's id_token lives 60 s (exp = iat + 60) and token.php " +
      "allows no leeway; a clock that is off by more than the tool's " +
      'leeway makes tokens expired or not yet valid',
    fix: { system: 'network', action: 'synchronise the Moodle and Inspera servers with NTP' },
  },
  {
    id: 'tool-cookie-attributes',
    title: "Inspera's state cookie is not SameSite=None; Secure",
    faq: 'F.7',
    weight: 87,
    explanation:
      "Moodle posts the id_token to Inspera from Moodle's own site, a cross-site POST: a state cookie set " +
      'SameSite=Lax, Strict or without SameSite (Lax in Chrome) does not go with it, even in a new window; only ' +
      'SameSite=None; Secure does',
    fix: {
      system: 'Inspera',
      action:
        'the tool must set its state cookie with SameSite=None; Secure (report it to Inspera support with the ' +
        "capture); Moodle's launch container does not change this",
    },
  },
  {
    id: 'state-cookie',
    title: "Inspera's state cookie lost in the browser",
    faq: 'F.7',
    weight: 86,
    explanation:
      "the browser did not send Inspera's state cookie back with " +
      "Moodle's cross-site form POST: third-party cookies blocked in an " +
      'embedded (iframe) launch, Safari ITP, private windows, or a ' +
      'cookie without SameSite=None; Secure',
    fix: {
      system: 'Moodle',
      where: `${MOODLE_TOOL} > Tool settings`,
      field: 'Default launch container',
      value: 'New window',
      action: 'launch Inspera in a new window (Inspera recommends it)',
    },
  },
  {
    id: 'login-hint',
    title: 'Moodle user changed during the launch',
    faq: 'F.4',
    weight: 80,
    explanation:
      'auth.php answers access_denied when login_hint is not the ' +
      'logged-in Moodle user: another account logged in mid-launch, or ' +
      'the tool altered login_hint',
    fix: {
      system: 'Moodle',
      action: 'relaunch as one Moodle user in one browser session; the tool must echo login_hint unchanged',
    },
  },
  {
    id: 'auth-request',
    title: "The tool's authentication request is malformed",
    faq: 'F.6',
    weight: 82,
    explanation:
      'Moodle needs scope=openid, response_type=id_token, ' +
      'response_mode=form_post, prompt=none (or none at all), every ' +
      'required parameter, and lti_message_hint passed through verbatim',
    fix: {
      system: 'Inspera',
      action: 'the tool must send the OIDC parameters Moodle requires (a tool defect: report it to Inspera support)',
    },
  },
  {
    id: 'token-request',
    title: "The tool's access token request is malformed",
    faq: 'A.5',
    weight: 73,
    explanation:
      "Moodle's token.php takes only a form POST with client_assertion, " +
      'client_assertion_type ' +
      'urn:ietf:params:oauth:client-assertion-type:jwt-bearer, ' +
      'grant_type client_credentials and scope, whose assertion is a ' +
      'JWT with a sub; otherwise it answers invalid_request or ' +
      'unsupported_grant_type',
    fix: {
      system: 'Inspera',
      action:
        'the tool must send the token request LTI Advantage prescribes (a ' +
        'tool defect: report it to Inspera support with the request)',
    },
  },
  {
    id: 'repost',
    title: 'The tool sends a "repost" field to auth.php (breaks after a Moodle update: MDL-83526)',
    faq: 'F.8',
    weight: 84,
    explanation:
      "a non-empty repost field skips Moodle's cross-site repost handshake. Since MDL-83526 (Moodle 4.5.12, " +
      "5.0.8, 5.1.5, 5.2.1 and later) Moodle's session cookie is SameSite=Lax, so it stays behind on the tool's " +
      'cross-site POST and auth.php cannot find the launch; before that update Chrome got it as SameSite=None and ' +
      'the same tool worked',
    fix: {
      system: 'Inspera',
      action:
        "the tool must stop sending the repost field (Moodle's own repost page then recovers the session), or " +
        'send the authentication request as a redirect (GET) — report it to Inspera support. Meanwhile the site ' +
        'cannot set the cookie back (MDL-83526 ignores session.cookie_samesite): only staying on the release ' +
        'before the update (4.5.11, 5.0.7, 5.1.4, 5.2.0) keeps such a tool working',
    },
  },
  {
    id: 'replay',
    title: 'A launch was replayed',
    faq: 'A.4',
    weight: 60,
    explanation:
      'an id_token, its nonce and its state are single use: a reload, ' +
      'back button, double submit or a replayed capture reuses them',
    fix: { system: 'Moodle', action: 'start a new launch from the Moodle activity' },
  },
  {
    id: 'tool-keyset',
    title: "Moodle cannot download Inspera's keyset",
    faq: 'F.13',
    weight: 78,
    explanation:
      'token.php downloads the tool key from the Public keyset set in ' +
      'Moodle; a wrong URL, a blocked host (curlsecurityblockedhosts, ' +
      'ports other than 80/443) or non-JSON answer gives a fatal error ' +
      'page',
    fix: {
      system: 'Moodle',
      where: `${MOODLE_TOOL} > Tool settings`,
      field: 'Public keyset',
      value: 'https://{domain}/ICSXapi/metadata/PublicCertificates',
      action: "enter Inspera's key-url exactly",
    },
  },
  {
    id: 'tool-key',
    title: 'Inspera signed with a key Moodle does not find',
    faq: 'F.12',
    weight: 76,
    explanation:
      "token.php looks up the client assertion's kid in the keyset from " +
      "Moodle's Public keyset setting; another tenant's key-url or a " +
      'rotated key gives "kid" invalid or Signature verification ' +
      'failed',
    fix: {
      system: 'Moodle',
      where: `${MOODLE_TOOL} > Tool settings`,
      field: 'Public keyset',
      value: 'https://{domain}/ICSXapi/metadata/PublicCertificates',
      action: "check the keyset URL is this tenant's key-url",
    },
  },
  {
    id: 'client-unknown',
    title: 'token.php does not know the Client ID',
    faq: 'F.11',
    weight: 74,
    explanation: "token.php answers invalid_client when no Moodle tool has the assertion's sub as Client ID",
    fix: {
      system: 'Inspera',
      where: INSPERA_REG,
      field: 'Client ID',
      action: "register the Client ID from Moodle's Tool configuration details",
    },
  },
  {
    id: 'scope',
    title: 'A service scope is not granted',
    faq: 'F.14',
    weight: 70,
    explanation:
      'token.php only grants scopes of services enabled on the tool; ' +
      'with none of the requested ones enabled it answers invalid_scope',
    fix: {
      system: 'Moodle',
      where: `${MOODLE_TOOL} > Services`,
      field: 'IMS LTI Assignment and Grade Services',
      value: 'Use this service for grade sync and column management',
      action: 'enable the services Inspera uses',
    },
  },
  {
    id: 'score-timestamp',
    title: 'A score with an older timestamp',
    faq: 'F.17',
    weight: 50,
    explanation: "Moodle refuses a score whose timestamp is not newer than the stored grade's (409)",
    fix: { system: 'Inspera', action: 'send strictly increasing timestamps; re-confirm the grading in Inspera' },
  },
  {
    id: 'not-fully-graded',
    title: 'Marks sent before grading was confirmed',
    faq: 'F.18',
    weight: 46,
    explanation:
      'Moodle keeps a score only when gradingProgress is FullyGraded; ' +
      'any other value (or no scoreGiven) clears the grade, so the ' +
      'gradebook stays empty although Moodle answered 200',
    fix: {
      system: 'Inspera',
      action: 'confirm the grading in Inspera (Inspera sends marks when the test is graded and confirmed)',
    },
  },
  {
    id: 'ags-off',
    title: 'Grade services off: marks cannot reach Moodle',
    faq: 'F.18',
    weight: 45,
    explanation: 'without AGS the launch has no AGS claim and token.php grants no grade scope',
    fix: {
      system: 'Moodle',
      where: `${MOODLE_TOOL} > Services`,
      field: 'IMS LTI Assignment and Grade Services',
      value: 'Use this service for grade sync and column management',
      action: 'turn the service on',
    },
  },
  {
    id: 'accept-grades',
    title: 'Accept grades not in force: no grade item',
    faq: 'F.18',
    weight: 44,
    explanation:
      'without "Accept grades from the tool" the activity has no grade ' +
      'item, so the AGS claim has no lineitem and marks are dropped',
    fix: {
      system: 'Moodle',
      where: `${MOODLE_TOOL} > Privacy`,
      field: 'Accept grades from the tool',
      value: 'Always',
      action: 'choose Always',
    },
  },
  {
    id: 'nrps-off',
    title: 'No candidate auto-enrolment',
    faq: 'F.22',
    weight: 42,
    explanation:
      'Inspera enrols candidates from the course membership (NRPS) when ' +
      'enroll_candidates=true; without the service or the parameter ' +
      'nobody is enrolled automatically',
    fix: {
      system: 'Moodle',
      where: `${MOODLE_TOOL} > Services`,
      field: 'IMS LTI Names and Role Provisioning',
      value: "Use this service to retrieve members' information as per privacy settings",
      action: 'turn the service on and send enroll_candidates=true',
    },
  },
  {
    id: 'privacy',
    title: 'Names or e-mail addresses not shared',
    faq: 'F.21',
    weight: 40,
    explanation:
      'Moodle 4.3+ defaults "Share launcher\'s name/email with tool" to ' +
      'Never; Inspera then gets no names, user names or e-mail ' +
      'addresses',
    fix: {
      system: 'Moodle',
      where: `${MOODLE_TOOL} > Privacy`,
      field: "Share launcher's name with tool / Share launcher's email with tool",
      value: 'Always',
      action: 'choose Always',
    },
  },
  {
    id: 'custom-parameter',
    title: 'A custom parameter Inspera does not know',
    faq: 'E.3',
    weight: 38,
    explanation:
      'Inspera ignores custom parameters it does not know; a misspelt name (enrol_candidates) silently does nothing',
    fix: {
      system: 'Moodle',
      where: `${MOODLE_TOOL} > Tool settings`,
      field: 'Custom parameters',
      action: 'use the parameter names Inspera documents',
    },
  },
  {
    id: 'authorization-stripped',
    title: 'The web server in front of Moodle strips the Authorization header',
    faq: 'E.5',
    weight: 71,
    explanation:
      "Moodle's LTI services (grades, rosters) read the tool's access token from the Authorization header; a web " +
      'server or proxy that does not pass it to PHP makes every such call a bare 401, so marks and candidates never ' +
      'arrive while launches work',
    fix: {
      system: 'Moodle',
      where: "the web server in front of Moodle (the site's host or proxy configuration)",
      field: 'Authorization header',
      action:
        'pass it to PHP: Apache `CGIPassAuth On` (or `SetEnvIf Authorization "(.*)" HTTP_AUTHORIZATION=$1`), ' +
        'php-fpm/FastCGI `fastcgi_param HTTP_AUTHORIZATION $http_authorization;` in nginx, and a proxy that ' +
        'forwards the header',
    },
  },
  {
    id: 'local-network-access',
    title: "Chrome blocks the embedded tool on a more private network than Moodle's (Local Network Access)",
    faq: 'F.7',
    weight: 83,
    explanation:
      'since Chrome 142 a page may not load a frame from a more private address space than its own (a tool on a ' +
      "private, link-local or loopback address behind a public Moodle) without permission; Moodle's Embed launch is " +
      'such a frame. Moodle 4.5.9, 5.0.5, 5.1.2 and later can grant it ($CFG->ltiallowlocalnetwork, MDL-87258)',
    fix: {
      system: 'Moodle',
      where: `${MOODLE_TOOL} > Tool settings`,
      field: 'Default launch container',
      value: 'New window',
      action: 'launch Inspera in a new window (Inspera recommends it): top-level pages are not blocked',
    },
  },
  {
    id: 'teacher-as-learner',
    title: 'Moodle sends a teacher to Inspera as a learner',
    faq: 'E.4',
    weight: 45,
    explanation:
      'Moodle sends the Instructor role only to a user with mod/lti:manage in the activity (a non-editing teacher, ' +
      'or a role with that permission taken away, gets Learner: lti_get_ims_role in mod/lti/locallib.php), and ' +
      "Inspera opens a learner's launch as a candidate's",
    fix: {
      system: 'Moodle',
      where: "the course's Participants (the teacher's role), or the activity's More > Permissions",
      field: 'mod/lti:manage',
      action:
        "give that teacher the Teacher role (editing) in the course, or allow mod/lti:manage for the teacher's role " +
        'in that activity — only where such teachers may manage the activity',
    },
  },
  {
    id: 'activity-parameter-overridden',
    title: "An activity's custom parameter that the tool's value overrides",
    faq: 'E.3',
    weight: 37,
    explanation:
      "Moodle sends the tool's value of a custom parameter set both at the tool and in the activity " +
      "(lti_build_custom_parameters: the tool's value wins), so the activity's own value never reaches Inspera",
    fix: {
      system: 'Moodle',
      where: `${MOODLE_TOOL} > Tool settings`,
      field: 'Custom parameters',
      action: 'change the value at the tool, or remove it there to let each activity set it',
    },
  },
  {
    id: 'wwwroot',
    title: "An address that is not Moodle's wwwroot",
    faq: 'F.20',
    weight: 72,
    explanation:
      'Moodle answers requests to any other host, scheme or port than ' +
      '$CFG->wwwroot with a redirect or an HTML page; every recorded ' +
      'URL must start with the exact wwwroot',
    fix: {
      system: 'Moodle',
      action: 'use the exact wwwroot; the Moodle admin checks $CFG->wwwroot, sslproxy and reverseproxy',
    },
  },
  {
    id: 'unreachable',
    title: 'This machine cannot reach the site',
    faq: 'network',
    weight: 99,
    explanation:
      'the request did not get an answer at all (a DNS name not found, ' +
      'a refused connection, a timeout, a reset): nothing can be judged ' +
      'about the LTI settings until the site answers; it may be down, ' +
      'or a proxy or firewall between here and it may block the way',
    fix: {
      system: 'network',
      action:
        'from this machine, check DNS (the host name resolves), the proxy ' +
        '(HTTPS_PROXY / NO_PROXY) and the firewall, and that the site is ' +
        'up; change nothing in Moodle or Inspera until it answers',
    },
  },
  {
    id: 'tls',
    title: 'TLS with the site fails',
    faq: 'network',
    weight: 97,
    explanation:
      'the connection was made but its TLS certificate was not accepted ' +
      '(expired, self-signed, for another host name, or a chain the ' +
      'site does not send in full); Inspera and Moodle refuse such a ' +
      'site as well',
    fix: {
      system: 'network',
      action:
        "the site's administrator renews or completes the certificate " +
        'chain; a company proxy that replaces certificates needs its CA ' +
        'trusted here (NODE_EXTRA_CA_CERTS)',
    },
  },
  {
    id: 'site-error',
    title: 'The site answers errors',
    faq: 'network',
    weight: 95,
    explanation:
      'the site answered, but with an HTTP error (4xx/5xx) or a ' +
      "redirect loop where Moodle's or Inspera's LTI endpoint should " +
      'answer: the site is down for maintenance, blocks this client, or ' +
      'the address has a wrong path',
    fix: {
      system: 'network',
      action:
        "open the address in a browser; the site's administrator checks " +
        'its error log; if the path is wrong, record the six values again',
    },
  },
  {
    id: 'recorded-value',
    title: 'A recorded value is malformed',
    faq: 'E.5',
    weight: 66,
    explanation:
      'whitespace, a wrong path or a value in the wrong field breaks authentication even when it looks right',
    fix: {
      system: 'inspera-lti',
      action:
        "record the six values again from Moodle's Tool configuration " +
        'details (inspera-lti record) and send them to Inspera',
    },
  },
  {
    id: 'token-damaged',
    title: 'The token is damaged, or not one Moodle signed',
    faq: 'B',
    weight: 65,
    explanation:
      'Moodle signs its id_tokens RS256 with a 2048-bit key (a ' +
      '342-character signature), with iss its https wwwroot (no ' +
      'trailing slash), aud the Client ID, and exp and iat whole ' +
      'seconds since 1970; a token without a signature, with one of ' +
      'another length, or with times that are no dates was cut or ' +
      'altered on the way (a copy, a proxy) or made by something else',
    fix: {
      system: 'inspera-lti',
      action:
        'capture the whole id_token again (DevTools > Network > the POST ' +
        'to the tool > Payload > id_token, or doctor --har with the ' +
        'capture)',
    },
  },
  {
    id: 'token-claims',
    title: 'The id_token lacks LTI claims Moodle always sends',
    faq: 'B',
    weight: 64,
    explanation:
      'Moodle always sends version 1.3.0, a message type, sub, roles, a ' +
      'resource link and target_link_uri; a token without them is not a ' +
      'Moodle resource-link launch (another platform, or a modified ' +
      'token)',
    fix: {
      system: 'Moodle',
      action: 'launch from a Moodle External tool activity; check which platform produced the token',
    },
  },
  {
    id: 'ags-request',
    title: 'A grade request Moodle cannot handle',
    faq: 'F.15',
    weight: 48,
    explanation:
      'Moodle routes services.php on the path and content type: /scores ' +
      'must come before the query string, the content type must be ' +
      'application/vnd.ims.lis.v1.score+json, and a score needs userId, ' +
      'timestamp, gradingProgress and activityProgress for a gradable ' +
      'student',
    fix: {
      system: 'Inspera',
      action:
        'report the request to Inspera support; Moodle admins check that ' +
        'the web server passes PATH_INFO to services.php',
    },
  },
  {
    id: 'tool-deleted',
    title: "The activity's tool was deleted in Moodle",
    faq: 'E.5',
    weight: 68,
    explanation:
      'Moodle says "The LTI tool used in this activity has been ' +
      'deleted" when the activity still points at a tool type that is ' +
      'gone (deleted, or the site was restored without it)',
    fix: {
      system: 'Moodle',
      where: 'Moodle: the course > the activity > Settings',
      field: 'Preconfigured tool',
      action: 'choose the Inspera tool again (set it up first with inspera-lti init if it is gone)',
    },
  },
  {
    id: 'no-activity',
    title: 'No such activity in Moodle',
    faq: 'E.5',
    weight: 67,
    explanation:
      'Moodle answers "Can\'t find data record in database" (404) when ' +
      'view.php or launch.php gets an id that is no course module: a ' +
      'wrong or old link, or an activity deleted since',
    fix: {
      system: 'Moodle',
      action:
        'open the activity in the course and use the id= number of its ' +
        'address (…/mod/lti/view.php?id=N) — that is the course module id',
    },
  },
  {
    id: 'not-configured-test',
    title: 'The test is not set up in Inspera yet',
    faq: 'E.5',
    weight: 30,
    explanation: 'a candidate launching a test that is not configured or activated in Inspera gets a 404 from Inspera',
    fix: { system: 'Inspera', action: 'activate the test in Inspera, and hide the Moodle activity until then' },
  },
  {
    id: 'tool-rejected',
    title: 'Inspera rejected the launch',
    faq: 'E.5',
    weight: 20,
    explanation: 'Inspera answered an error to the launch; its message names the check that failed',
    fix: {
      system: 'Inspera',
      action: 'send Inspera support this report; doctor --error "<the message>" may name the cause',
    },
  },
  {
    id: 'tool-setting',
    title: 'The Inspera tool in Moodle is not set up as Inspera needs',
    faq: 'E.2',
    weight: 70,
    explanation:
      "a value of the tool Moodle stores differs from the one for this tenant (Manage tools > the tool's edit " +
      'form): Moodle launches with what it stores, whatever was meant',
    fix: {
      system: 'Moodle',
      where: MOODLE_TOOL,
      action: 'set the field to the value inspera-lti init prints for this tenant (or run inspera-lti init --apply)',
    },
  },
] as const satisfies ReadonlyArray<Omit<Cause, 'id'> & { id: string }>;

/** Every cause doctor can name: the compiler checks each id a finding, message or scenario uses. */
export type CauseId = (typeof list)[number]['id'];

export const CAUSES: ReadonlyMap<CauseId, Cause> = new Map(list.map((c) => [c.id, c]));

export function isCauseId(id: string): id is CauseId {
  return CAUSES.has(id as CauseId);
}

export function cause(id: CauseId): Cause {
  return CAUSES.get(id)!;
}
