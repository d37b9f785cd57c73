import { readFile, stat } from 'node:fs/promises';
import { InsperaLtiError } from '../../errors.js';
import { parseSetCookie } from '../../http/set-cookie.js';

export interface HarCookie {
  name: string;
  sameSite?: string;
  secure: boolean;
  /** The Set-Cookie removed the cookie (an expiry in the past). */
  deletes?: boolean;
}

/** One request/response pair, normalised from a browser's HAR. */
export interface HarEntry {
  index: number;
  time: number;
  method: string;
  url: URL;
  /** Query and form parameters together (the form wins), as PHP's optional_param sees them. */
  params: Map<string, string>;
  formParams: Map<string, string>;
  requestHeaders: Map<string, string>;
  /** Cookie names the request carried; undefined when the capture has no cookie information at all. */
  cookiesSent?: string[];
  status: number;
  responseHeaders: Map<string, string>;
  setCookies: HarCookie[];
  location?: string;
  body: string;
}

const DEFAULT_MAX_HAR_BYTES = 25 * 1024 * 1024;

function lower(headers: unknown): Map<string, string> {
  const map = new Map<string, string>();
  if (!Array.isArray(headers)) return map;
  for (const h of headers as Array<{ name?: unknown; value?: unknown }>) {
    if (typeof h?.name !== 'string') continue;
    const name = h.name.toLowerCase();
    const value = String(h.value ?? '');
    map.set(name, map.has(name) ? `${map.get(name)}\n${value}` : value);
  }
  return map;
}

/** The object elements of a HAR array (untrusted JSON: anything else in it is left out). */
function records(value: unknown): Array<Record<string, unknown>> {
  return Array.isArray(value)
    ? value.filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v))
    : [];
}

function harCookie(line: string): HarCookie | undefined {
  const cookie = parseSetCookie(line);
  return (
    cookie && {
      name: cookie.name,
      ...(cookie.sameSite ? { sameSite: cookie.sameSite } : {}),
      secure: cookie.secure,
      ...(cookie.deletes ? { deletes: true } : {}),
    }
  );
}

/** Read a HAR file, bounded: refuse files over the limit rather than read them whole (they hold every body). */
export async function readHar(path: string, maxBytes = DEFAULT_MAX_HAR_BYTES): Promise<HarEntry[]> {
  let size: number;
  try {
    const info = await stat(path);
    if (info.isDirectory())
      throw new InsperaLtiError(
        'FILE_UNREADABLE',
        `--har ${path} is a directory`,
        'give the .har file the browser saved',
      );
    size = info.size;
  } catch (error) {
    if (error instanceof InsperaLtiError) throw error;
    throw new InsperaLtiError(
      'FILE_UNREADABLE',
      `--har ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'cannot read it'}`,
      'check the path',
    );
  }
  if (size === 0)
    throw new InsperaLtiError(
      'INVALID_VALUE',
      `--har ${path} is empty`,
      'save the capture again: DevTools > Network > "Save all as HAR"',
    );
  if (size > maxBytes) {
    throw new InsperaLtiError(
      'INVALID_VALUE',
      `--har ${path} is ${(size / 1024 / 1024).toFixed(1)} ` +
        `MB, more than the ${(maxBytes / 1024 / 1024).toFixed(0)} ` +
        `MB doctor reads`,
      'capture only the launch: clear the Network log, click the Moodle ' +
        'activity, then "Save all as HAR" (or raise --max-har-mb)',
    );
  }
  let document: unknown;
  try {
    document = JSON.parse(await readFile(path, 'utf8'));
  } catch {
    throw new InsperaLtiError(
      'INVALID_VALUE',
      `--har ${path} is not JSON, so not a HAR file`,
      'save it from the browser\'s Network panel with "Save all as HAR"',
    );
  }
  const entries = (document as { log?: { entries?: unknown } })?.log?.entries;
  if (!Array.isArray(entries))
    throw new InsperaLtiError(
      'INVALID_VALUE',
      `--har ${path} is JSON but has no log.entries: not a HAR file`,
      'save it from the browser\'s Network panel with "Save all as HAR"',
    );
  const read = entries.flatMap((raw, index): HarEntry[] => {
    // biome-ignore lint/suspicious/noExplicitAny: untrusted HAR JSON; every field is read through ?. and converted
    const entry = raw as Record<string, any>;
    let url: URL;
    try {
      url = new URL(String(entry?.request?.url));
    } catch {
      return [];
    }
    const formParams = new Map<string, string>();
    const post = entry.request?.postData;
    // The raw form text is authoritative; browsers differ on whether `params` values are still URL-encoded.
    if (typeof post?.text === 'string' && post.text !== '' && /x-www-form-urlencoded/.test(String(post.mimeType ?? '')))
      for (const [k, v] of new URLSearchParams(post.text)) formParams.set(k, v);
    else
      for (const p of records(post?.params))
        formParams.set(String(p.name), decodeURIComponentSafe(String(p.value ?? '')));
    const params = new Map([...url.searchParams, ...formParams]);
    const requestHeaders = lower(entry.request?.headers);
    const responseHeaders = lower(entry.response?.headers);
    const cookieArray = records(entry.request?.cookies).map((c) => String(c.name));
    const cookieHeader = requestHeaders.get('cookie');
    const cookiesSent = cookieHeader
      ? cookieHeader.split(';').map((c) => c.trim().split('=')[0]!)
      : cookieArray.length
        ? cookieArray
        : undefined;
    const setCookies = [
      ...(responseHeaders.get('set-cookie')?.split('\n') ?? []),
      ...records(entry.response?.cookies)
        .filter((_c) => !responseHeaders.has('set-cookie'))
        .map(
          (c) =>
            `${String(c.name)}=x${c.sameSite ? `; SameSite=${String(c.sameSite)}` : ''}${c.secure ? '; Secure' : ''}`,
        ),
    ]
      .filter(Boolean)
      .map(harCookie)
      .filter((c): c is HarCookie => c !== undefined);
    const content = typeof entry.response?.content === 'object' && entry.response.content ? entry.response.content : {};
    let body = typeof content.text === 'string' ? content.text : '';
    if (content.encoding === 'base64') body = Buffer.from(body, 'base64').toString('utf8');
    const location = responseHeaders.get('location') || entry.response?.redirectURL || undefined;
    return [
      {
        index,
        time: Date.parse(String(entry.startedDateTime ?? '')) || 0,
        method: String(entry.request?.method ?? 'GET').toUpperCase(),
        url,
        params,
        formParams,
        requestHeaders,
        ...(cookiesSent ? { cookiesSent } : {}),
        status: Number(entry.response?.status ?? 0) || 0,
        responseHeaders,
        setCookies,
        ...(location ? { location: String(location) } : {}),
        body: body.slice(0, 256 * 1024),
      },
    ];
  });
  // A capture that shows cookies anywhere shows them everywhere: a request there with none sent none (a capture saved
  // without cookies shows none at all, and then nothing can be said of any request's).
  const hasCookies = read.some((e) => e.cookiesSent !== undefined || e.setCookies.length > 0);
  return hasCookies ? read.map((e) => (e.cookiesSent === undefined ? { ...e, cookiesSent: [] } : e)) : read;
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}
