/**
 * An OAuth 2 error as people paste it: the bare code, the query string or form body Moodle's auth.php posts back to the
 * tool (`error=invalid_request&error_description=Invalid+response_mode`), a URL carrying one, or token.php's JSON
 * (`{"error" : "invalid_client"}`). token.php also puts its exceptions' messages in "error": those are no codes, and
 * are read as the whole text.
 */
export interface OAuthError {
  /** The OAuth code. */
  error: string;
  description?: string;
}

/** RFC 6749 §4.1.2.1 and §5.2, and OpenID Connect Core §3.1.2.6: the codes an authorization or token endpoint sends. */
const OAUTH_CODES: ReadonlySet<string> = new Set([
  'invalid_request',
  'unauthorized_client',
  'access_denied',
  'unsupported_response_type',
  'invalid_scope',
  'server_error',
  'temporarily_unavailable',
  'invalid_client',
  'invalid_grant',
  'unsupported_grant_type',
  'login_required',
  'interaction_required',
  'consent_required',
  'account_selection_required',
  'invalid_request_uri',
  'invalid_request_object',
  'request_not_supported',
  'request_uri_not_supported',
  'registration_not_supported',
]);

function fromJson(text: string): OAuthError | undefined {
  if (!/^\s*\{/.test(text)) return undefined;
  try {
    const value = JSON.parse(text) as { error?: unknown; error_description?: unknown };
    // Only an OAuth code makes it one: ltijs's {"error": "Bad Request", "details": …} is read as the whole text.
    if (typeof value.error !== 'string' || !OAUTH_CODES.has(value.error.trim())) return undefined;
    return {
      error: value.error.trim(),
      ...(typeof value.error_description === 'string' && value.error_description.trim()
        ? { description: value.error_description.trim() }
        : {}),
    };
  } catch {
    return undefined;
  }
}

function fromForm(text: string): OAuthError | undefined {
  const trimmed = text.trim();
  if (/\s/.test(trimmed) || !/(^|[?&#])error=/.test(trimmed)) return undefined;
  const query = trimmed.replace(/^[^?#]*[?#]/, '');
  const params = new URLSearchParams(query.includes('error=') ? query : trimmed);
  const error = params.get('error')?.trim();
  if (!error || !OAUTH_CODES.has(error)) return undefined;
  const description = params.get('error_description')?.trim();
  return { error, ...(description ? { description } : {}) };
}

/** The OAuth error a text is, or undefined when it is something else (a page, a sentence, a library's own code). */
export function readOAuthError(text: string): OAuthError | undefined {
  const trimmed = text.trim();
  if (OAUTH_CODES.has(trimmed)) return { error: trimmed };
  return fromJson(trimmed) ?? fromForm(trimmed);
}

/**
 * The words to match known messages against: the description first (it is the more precise), then the error — the
 * description left out when it only rewords the code ("Invalid request" for invalid_request).
 */
export function oauthWords(error: OAuthError): string {
  const plain = (s: string) =>
    s
      .toLowerCase()
      .replace(/[_\s.]+/g, ' ')
      .trim();
  const description =
    error.description && plain(error.description) !== plain(error.error) ? error.description : undefined;
  return description ? `${description}\n${error.error}` : error.error;
}
