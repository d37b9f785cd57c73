/** What went wrong on the way to a server, in words a person understands. */
export type NetworkFailureKind =
  | 'dns'
  | 'refused'
  | 'timeout'
  | 'reset'
  | 'tls-untrusted'
  | 'tls-expired'
  | 'tls-hostname'
  | 'tls-other'
  | 'redirect-loop'
  | 'too-many-redirects'
  | 'too-large'
  | 'unreachable'
  | 'bad-url'
  | 'other';

export interface NetworkFailure {
  kind: NetworkFailureKind;
  message: string;
  code?: string;
}

function codeOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR' && code !== 'ERR_INVALID_ARG_TYPE') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Classify an undici/Node error (its own code or its cause's) into a NetworkFailure. */
export function classifyNetworkError(error: unknown, host: string, timeoutMs: number): NetworkFailure {
  const code = codeOf(error);
  const raw =
    error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
  const failure = (kind: NetworkFailureKind, message: string): NetworkFailure => ({
    kind,
    message,
    ...(code ? { code } : {}),
  });
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return failure('dns', `the DNS name ${host} was not found`);
    case 'ECONNREFUSED':
      return failure('refused', `${host} refused the connection (nothing listens on that port)`);
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
    case 'ETIMEDOUT':
    case 'ABORT_ERR':
    case 'TIMEOUT':
      return failure('timeout', `${host} did not answer within ${timeoutMs / 1000} s`);
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
    case 'EPIPE':
      return failure('reset', `${host} closed the connection without an answer`);
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return failure('unreachable', `${host} is not reachable from this network`);
    case 'CERT_HAS_EXPIRED':
      return failure('tls-expired', `the TLS certificate of ${host} has expired`);
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'UNABLE_TO_GET_ISSUER_CERT':
      return failure(
        'tls-untrusted',
        `the TLS certificate of ${host} is not trusted ` +
          `(${code === 'DEPTH_ZERO_SELF_SIGNED_CERT' ? 'self-signed' : 'unknown issuer or incomplete chain'})`,
      );
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return failure('tls-hostname', `the TLS certificate of ${host} is for another host name`);
    case 'CERT_NOT_YET_VALID':
      return failure('tls-expired', `the TLS certificate of ${host} is not valid yet (check the clock)`);
    default:
      if (code?.startsWith('ERR_SSL') || code?.startsWith('ERR_TLS') || /certificate|SSL|TLS/i.test(raw))
        return failure('tls-other', `TLS with ${host} failed: ${raw}`);
      if (/timeout|aborted/i.test(raw))
        return failure('timeout', `${host} did not answer within ${timeoutMs / 1000} s`);
      return failure('other', `${host}: ${raw}`);
  }
}
