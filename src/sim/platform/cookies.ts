import type { ParsedRequest } from '../http-server.js';
import type { PlatformSetup } from './types.js';

export const SESSION_COOKIE = 'MoodleSession';

/** is_moodle_cookie_secure (lib/moodlelib.php): an https wwwroot. */
function secure(setup: PlatformSetup): boolean {
  return setup.wwwroot.startsWith('https://');
}

/**
 * should_use_samesite_none (lib/classes/session/manager.php, 4.5.6): SameSite=None only for Chrome 78 and later
 * (by its User-Agent) over https; any other browser, or http, gets no SameSite attribute at all.
 */
function sameSiteNone(setup: PlatformSetup, request: ParsedRequest): boolean {
  const chrome = /Chrome\/(\d+)/.exec(String(request.headers['user-agent'] ?? ''));
  return (
    secure(setup) && chrome !== null && Number(chrome[1]) >= 78 && !/Edge\//.test(String(request.headers['user-agent']))
  );
}

/** The SameSite attribute of the session cookie this release sets for this browser (src/moodle/versions.ts). */
function sameSite(setup: PlatformSetup, request: ParsedRequest): string {
  // After MDL-83526: None for the Moodle app (core_useragent::is_moodle_app(), "MoodleMobile" in the User-Agent,
  // any case), Lax for every other client, over http and https alike.
  if (setup.world.moodle.line.wire.sessionSameSite === 'lax')
    return /moodlemobile/i.test(String(request.headers['user-agent'] ?? '')) ? '; SameSite=None' : '; SameSite=Lax';
  return sameSiteNone(setup, request) ? '; SameSite=None' : '';
}

/** "; HttpOnly" where the release sets it (4.2.1 did not). */
function httpOnly(setup: PlatformSetup): string {
  return setup.world.moodle.line.wire.cookiesHttpOnly ? '; HttpOnly' : '';
}

/** The session cookie as Moodle sets it (session_set_cookie_params: path /, HttpOnly, Secure over https, SameSite). */
export function sessionCookie(setup: PlatformSetup, request: ParsedRequest, id: string): string {
  const secureFlag = secure(setup) ? '; secure' : '';
  return `${SESSION_COOKIE}=${id}; path=/${secureFlag}${httpOnly(setup)}${sameSite(setup, request)}`;
}

/**
 * set_moodle_cookie (lib/sessionlib.php): the old MOODLEID1_ deleted first (PHP's setcookie with an empty value and a
 * past expiry sends "deleted"), then the remembered username for 60 days.
 */
export function moodleIdCookies(setup: PlatformSetup, value: string): string[] {
  const flags = `path=/${secure(setup) ? '; secure' : ''}${httpOnly(setup)}`;
  const expires = new Date(Date.now() + 60 * 86_400_000).toUTCString();
  return [
    `MOODLEID1_=deleted; expires=Thu, 01 Jan 1970 00:00:01 GMT; Max-Age=0; ${flags}`,
    `MOODLEID1_=${encodeURIComponent(value)}; expires=${expires}; Max-Age=${60 * 86_400}; ${flags}`,
  ];
}
