const SECRET_PARAMETERS =
  'MoodleSession|lti1p3_state|state|nonce|access_token|client_assertion|password|sesskey|logintoken|wstoken|' +
  'privatetoken|token';
// A value already hidden ("(hidden)", "[redacted]") is left as it is.
const SECRET_PARAMETER = new RegExp(`\\b(${SECRET_PARAMETERS})=(?!\\[|\\(hidden\\))([^;\\s&"]+)`, 'gi');
const SECRET_FIELD = new RegExp(`"(${SECRET_PARAMETERS})"\\s*:\\s*"(?!\\(hidden\\)")[^"]*"`, 'gi');
// A form's hidden input (a page --verbose logs): name before value, or value before name.
const SECRET_INPUT = new RegExp(`(<input\\b[^>]*\\bname="(?:${SECRET_PARAMETERS})"[^>]*\\bvalue=")[^"]*"`, 'gi');
const SECRET_INPUT_VALUE_FIRST = new RegExp(
  `(<input\\b[^>]*\\bvalue=")[^"]*("[^>]*\\bname="(?:${SECRET_PARAMETERS})")`,
  'gi',
);

/** Take secrets out of text meant for a ticket: JWTs, cookie values, bearer tokens, PEM keys. Ids stay. */
export function redact(text: string): string {
  return text
    .replace(/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g, '[private key redacted]')
    .replace(/eyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]*/g, '[token redacted]')
    .replace(/(Bearer\s+)[\w.~+/-]+=*/gi, '$1[redacted]')
    .replace(SECRET_PARAMETER, '$1=[redacted]')
    .replace(SECRET_FIELD, '"$1":"[redacted]"')
    .replace(SECRET_INPUT, '$1[redacted]"')
    .replace(SECRET_INPUT_VALUE_FIRST, '$1[redacted]$2');
}
