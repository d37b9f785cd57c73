import type { CheckResult, Fix } from '../core/result.js';
import { cause, type CauseId } from '../core/causes.js';
import { diagnoseError } from '../doctor/from-error.js';
import type { HttpClient } from '../http/client.js';
import { classifyNetworkError } from '../http/network-error.js';
import { printable } from '../util/printable.js';
import { Browser, LAX_ALLOWING_UNSAFE_MS, siteOf, type BrowserStep } from './browser.js';
import { clientRedirect, isRepostForm, moodleErrorText, unescapeHtml, visibleText } from '../util/html.js';
import { moodleLogin } from './moodle-login.js';
import { REPORT_SCRIPT_ID, type LaunchRecord } from './tool/server.js';
import type { Persona } from './world.js';

export interface LaunchOptions {
  /** The platform's wwwroot (public URL) and the course module to launch. */
  wwwroot: string;
  cmid: number;
  /** The Moodle user to log in as, and the password (never a built-in one for a real Moodle). */
  username: string;
  password: string;
  persona?: Persona;
  /** The browser blocks third-party cookies (Safari, private windows): an embedded launch loses the tool's cookie. */
  blockThirdPartyCookies?: boolean;
  /** Post the same id_token to the tool a second time. */
  replay?: boolean;
  /** Open launch.php directly instead of the activity page (load mode: the LTI flow alone). */
  direct?: boolean;
  /** A browser that is already logged in to Moodle (load mode: one per user, as a person keeps their session). */
  browser?: Browser;
}

export type LaunchStage =
  | 'login'
  | 'launch-page'
  | 'login-initiation'
  | 'authentication'
  | 'tool-launch'
  | 'replay'
  | 'done';

export interface LaunchOutcome {
  ok: boolean;
  /** Where it stopped (the last stage reached). */
  stage: LaunchStage;
  /** One line: what the user would see. */
  verdict: string;
  steps: BrowserStep[];
  idToken?: string;
  /** The tool's own report, when the tool is ours (embedded or `serve tool`). */
  tool?: LaunchRecord;
  /** The replayed POST's report. */
  replay?: LaunchRecord;
  /** A tool that is not ours answers the replay with HTTP only: its final status, and whether that refused it. */
  replayAnswer?: { status: number; refused: boolean };
  /** An OAuth error Moodle posted back to the tool. */
  platformError?: { error: string; description?: string };
  /** The cause what Moodle answered names (doctor's reading of the same words), when it names one. */
  cause?: { id: CauseId; title: string; why: string; fix: Fix };
  /** Checks the flow itself made (what crossed the wire). */
  results: CheckResult[];
}

const REPORT_OPEN = `<script type="application/json" id="${REPORT_SCRIPT_ID}">`;

function toolReport(body: string): LaunchRecord | undefined {
  const start = body.indexOf(REPORT_OPEN);
  if (start < 0) return undefined;
  const end = body.indexOf('</script>', start + REPORT_OPEN.length);
  if (end < 0) return undefined;
  try {
    return JSON.parse(body.slice(start + REPORT_OPEN.length, end)) as LaunchRecord;
  } catch {
    return undefined;
  }
}

/**
 * How Moodle's view.php opens launch.php, by launch container: Embed and Embed without blocks in an iframe
 * (`#contentframe`); New window with `window.open('…launch.php?id=…&amp;triggerview=0', 'lti-…')` and an "Open in
 * new window" link (4.x), or a link with id="launch" (ours before). Existing window redirects, so never gets here.
 */
function launchFrom(html: string): { how: 'iframe' | 'window'; url: string } | undefined {
  const iframe = /<iframe\b[^>]*\bsrc="([^"]+)"/i.exec(html)?.[1];
  if (iframe) return { how: 'iframe', url: unescapeHtml(iframe) };
  const opened =
    /window\.open\(\s*'([^']*\/mod\/lti\/launch\.php[^']*)'/.exec(html)?.[1] ??
    /<a\b[^>]*href="([^"]*\/mod\/lti\/launch\.php[^"]*)"[^>]*>/i.exec(html)?.[1];
  return opened ? { how: 'window', url: unescapeHtml(opened) } : undefined;
}

/**
 * What the "Invalid request" page means here, from what crossed the wire: with the Moodle session on the request the
 * launch state was there to find, so the redirect_uri the tool sent is the likeliest cause; without it, the session.
 */
function invalidRequestReading(steps: BrowserStep[], answer: BrowserStep): string {
  const request = [...steps]
    .reverse()
    .find((s) => /\/mod\/lti\/auth\.php/.test(s.url) && s.sent.redirect_uri !== undefined);
  const redirectUri = request?.sent.redirect_uri;
  if (!answer.cookiesSent.includes('MoodleSession')) {
    return (
      'The Moodle session cookie did not reach auth.php, so Moodle ' +
      'could not find the launch: a lost session (cookies blocked or ' +
      'SameSite), or a launch started in another browser'
    );
  }
  return redirectUri === undefined
    ? 'The Moodle session went with the request; a parameter of the authentication request is missing or wrong'
    : `The Moodle session went with the request, so ` +
        `the likeliest cause is the redirect_uri the ` +
        `tool sent, ${redirectUri}: it must be one line ` +
        `of the tool's "Redirection URI(s)" in Moodle, ` +
        `byte for byte`;
}

/** Run a resource-link launch as a browser would: log in to Moodle, open the activity, follow the OIDC flow. */
export async function runLaunch(http: HttpClient, options: LaunchOptions): Promise<LaunchOutcome> {
  const browser =
    options.browser ?? new Browser(http, { blockThirdPartyCookies: options.blockThirdPartyCookies === true });
  browser.steps.length = 0;
  const results: CheckResult[] = [];
  const done = (
    ok: boolean,
    stage: LaunchStage,
    verdict: string,
    extra: Partial<LaunchOutcome> = {},
  ): LaunchOutcome => ({ ok, stage, verdict, steps: [...browser.steps], results, ...extra });
  try {
    if (!browser.loggedIn) {
      const login = await moodleLogin(browser, options.wwwroot, options.username, options.password);
      if (!login.ok) return done(false, 'login', login.reason!);
      browser.loggedIn = true;
      // People log in and launch later: by then Moodle's session cookie is past Chrome's two minutes of leniency.
      browser.ageCookies(LAX_ALLOWING_UNSAFE_MS);
    }
    // The activity page: by the launch container, launch.php opens in an iframe, a new window, or right here.
    browser.topSite = undefined;
    let page = await browser.go(
      'GET',
      `${options.wwwroot}/mod/lti/${options.direct ? 'launch' : 'view'}.php?id=${options.cmid}`,
    );
    page.step.note = options.direct ? 'launch.php' : 'open the activity';
    if (page.step.form?.name !== 'ltiInitiateLoginForm') {
      const opened = launchFrom(page.response.body);
      if (opened) {
        const opener = new URL(page.step.url);
        // Inside an iframe every request belongs to the frame; the top-level page stays Moodle's.
        if (opened.how === 'iframe') browser.topSite = siteOf(opener);
        page = await browser.go('GET', new URL(opened.url, opener).toString(), {}, 0, opener);
        page.step.note =
          opened.how === 'iframe'
            ? "launch.php inside the activity page's iframe (Embed)"
            : 'launch.php in a new window';
      }
    }
    if (page.step.form?.name !== 'ltiInitiateLoginForm') {
      const said = moodleErrorText(page.response.body);
      const where = new URL(page.step.url).pathname;
      if (NO_ACTIVITY.test(said)) {
        return done(
          false,
          'launch-page',
          `no such activity: Moodle has no activity with ` +
            `id ${options.cmid} (${where} answered HTTP ${page.response.status} ` +
            `"${NO_ACTIVITY.exec(said)![0]}") — open the ` +
            `activity in its course; the number after id= ` +
            `in its address (…/mod/lti/view.php?id=N) is ` +
            `the activity id to launch`,
          { cause: causeOf('no-activity') },
        );
      }
      const reading = readMoodleWords(said);
      return done(
        false,
        'launch-page',
        `Moodle's launch.php did not answer a login initiation ` +
          `form (${where}: HTTP ${page.response.status}${said ? ` "${said.slice(0, 160)}"` : ''})`,
        reading ? { cause: reading } : {},
      );
    }
    let answer = await browser.submit(page.step.form, page.step.url);
    browser.steps[page.step.n]!.note = 'login initiation to the tool (form POST)';
    // Most tools redirect to auth.php; some answer a form that POSTs the authentication request instead.
    if (
      answer.step.form &&
      !isRepostForm(answer.step.form) &&
      answer.step.form.name !== 'ltiAuthForm' &&
      /\/mod\/lti\/auth\.php/.test(answer.step.form.action)
    ) {
      answer.step.note = 'the tool answers a form that POSTs the authentication request';
      answer = await browser.submit(answer.step.form, answer.step.url);
    }
    // Some tools send the browser on by a script or a meta refresh rather than a 302.
    const onward =
      !answer.step.form && !answer.step.url.includes('/mod/lti/auth.php') && answer.response.status === 200
        ? clientRedirect(answer.response.body)
        : undefined;
    if (onward) {
      answer.step.note = 'the tool answers a page that redirects by script or meta refresh';
      answer = await browser.go('GET', new URL(onward, answer.step.url).toString(), {}, 0, new URL(answer.step.url));
    }
    // Without the Moodle session (a cross-site POST), auth.php first answers its repost page.
    if (answer.step.form && isRepostForm(answer.step.form)) {
      answer.step.note = 'auth.php repost page';
      answer = await browser.submit(answer.step.form, answer.step.url);
    }
    if (!answer.step.url.includes('/mod/lti/auth.php')) {
      answer.step.note = 'the tool refused the login initiation';
      // The tool's words, read as doctor reads them (an unregistered Client ID, an unknown issuer).
      const reading = readMoodleWords(visibleText(answer.response.body));
      return done(
        false,
        'login-initiation',
        `the tool answered the login initiation with ` +
          `HTTP ${answer.response.status} instead of redirecting ` +
          `to Moodle's auth.php: ${visibleText(answer.response.body)}`,
        reading ? { cause: reading } : {},
      );
    }
    if (answer.step.form?.name !== 'ltiAuthForm') {
      answer.step.note = 'Moodle\'s "Invalid request" page — nothing posted back to the tool';
      return done(
        false,
        'authentication',
        `Moodle showed "Invalid request" at auth.php ` +
          `(HTTP ${answer.response.status}); nothing was ` +
          `posted back to the tool. ${invalidRequestReading(browser.steps, answer.step)}`,
      );
    }
    const authForm = answer.step.form;
    answer.step.note = authForm.fields.id_token
      ? 'Moodle answers the id_token form'
      : `Moodle posts back error=${authForm.fields.error}`;
    const idToken = authForm.fields.id_token;
    const launched = await browser.submit(authForm, answer.step.url);
    // The note goes on the POST itself: a tool may redirect after it (ltijs to its app route with an ltik).
    const posted = browser.steps[answer.step.n]!;
    posted.note = 'launch: the id_token is posted to the tool';
    if (launched.step !== posted) launched.step.note = "the tool's page, after its redirect";
    const record = toolReport(launched.response.body);
    if (authForm.fields.error) {
      const platformError = {
        error: authForm.fields.error,
        ...(authForm.fields.error_description ? { description: authForm.fields.error_description } : {}),
      };
      const reading = readMoodleWords(
        new URLSearchParams({
          error: platformError.error,
          ...(platformError.description ? { error_description: platformError.description } : {}),
        }).toString(),
      );
      return done(
        false,
        'authentication',
        `Moodle answered error=${platformError.error}` +
          `${platformError.description ? ` (${platformError.description})` : ''} ` +
          `to the tool${reading ? `: ${reading.title}` : ''}`,
        { platformError, ...(record ? { tool: record } : {}), ...(reading ? { cause: reading } : {}) },
      );
    }
    let replay: LaunchRecord | undefined;
    let replayAnswer: LaunchOutcome['replayAnswer'];
    let replayText = '';
    if (options.replay && idToken) {
      const firstOfReplay = browser.steps.length;
      const again = await browser.submit(authForm, answer.step.url);
      browser.steps[firstOfReplay]!.note = 'the same id_token posted again (replay)';
      replay = toolReport(again.response.body);
      if (!replay) {
        replayAnswer = { status: again.response.status, refused: again.response.status >= 400 };
        replayText = visibleText(again.response.body);
      }
    }
    const extra = {
      ...(idToken ? { idToken } : {}),
      ...(record ? { tool: record } : {}),
      ...(replay ? { replay } : {}),
      ...(replayAnswer ? { replayAnswer } : {}),
    };
    if (record) {
      const failures = record.results.filter((r) => r.status === 'fail');
      if (!record.ok)
        return done(
          false,
          'tool-launch',
          `the tool rejected the launch: ${failures.map((f) => f.finding).join('; ')}`,
          extra,
        );
      if (replay) {
        return replay.ok
          ? done(false, 'replay', 'the tool accepted a replayed id_token — it must refuse a second use', extra)
          : done(
              true,
              'done',
              `launch accepted; the replay was refused: ${replay.results
                .filter((r) => r.status === 'fail')
                .map((f) => f.finding)
                .join('; ')}`,
              extra,
            );
      }
      return done(true, 'done', 'launch accepted by the tool', extra);
    }
    const ok = launched.response.status >= 200 && launched.response.status < 400;
    if (ok && replayAnswer) {
      return replayAnswer.refused
        ? done(
            true,
            'done',
            `launch accepted (HTTP ${launched.response.status}); ` +
              `the replay was refused with HTTP ${replayAnswer.status}: ` +
              `${replayText}`,
            extra,
          )
        : done(
            false,
            'replay',
            `the tool accepted a replayed id_token (HTTP ${replayAnswer.status}) — it must refuse a second use`,
            extra,
          );
    }
    return done(
      ok,
      ok ? 'done' : 'tool-launch',
      ok
        ? `the tool answered the launch with HTTP ${launched.response.status}`
        : `the tool answered the launch with HTTP ${launched.response.status}: ${visibleText(launched.response.body)}`,
      extra,
    );
  } catch (error) {
    // Named as validate names it: which host, and what went wrong on the way (refused, DNS, timeout, TLS…).
    const last = browser.lastUrl ?? options.wwwroot;
    const failure = classifyNetworkError(error, new URL(last).host, http.timeoutMs);
    return done(
      false,
      browser.steps.length < 2 ? 'login' : 'tool-launch',
      `network error at ${printable(last.split('?')[0]!, 200)}: ${printable(failure.message, 300)}`,
    );
  }
}

/** Moodle's words for a course module id it does not have (lang/en/error.php invalidrecord, invalidcoursemodule). */
const NO_ACTIVITY = /Can't find data record in database(?: table course_modules)?\.?|Invalid course module ID/i;

function causeOf(id: CauseId): NonNullable<LaunchOutcome['cause']> {
  const found = cause(id);
  return { id: found.id, title: found.title, why: found.explanation, fix: found.fix };
}

/** What doctor reads in the same words (an OAuth error Moodle posted back, a page's message): its likeliest cause. */
function readMoodleWords(text: string): LaunchOutcome['cause'] {
  const first = text ? diagnoseError(text)[0] : undefined;
  return first ? causeOf(first.cause.id) : undefined;
}
