/** The auto-submitting forms Moodle and LTI tools use between steps, written and read back. */
export interface HtmlForm {
  name: string;
  action: string;
  method: string;
  fields: Record<string, string>;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const UNESCAPES: Record<string, string> = {
  '&quot;': '"',
  '&#39;': "'",
  '&#039;': "'",
  '&lt;': '<',
  '&gt;': '>',
  '&amp;': '&',
};

// One pass each way, and none at all for text without the characters (an id_token): forms carry kilobytes per launch.
export function escapeHtml(text: string): string {
  return /[&<>"']/.test(text) ? text.replace(/[&<>"']/g, (c) => ESCAPES[c]!) : text;
}

export function unescapeHtml(text: string): string {
  return text.includes('&') ? text.replace(/&(?:quot|#0?39|lt|gt|amp);/g, (entity) => UNESCAPES[entity]!) : text;
}

/** A page whose form posts itself on load, as Moodle's launch.php and auth.php answer. */
export function autoSubmitPage(form: HtmlForm, title = 'Redirecting'): string {
  const inputs = Object.entries(form.fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}"/>`)
    .join('\n');
  const attributes = formAttributes(form);
  return `<!DOCTYPE html>
<html><head><title>${escapeHtml(title)}</title></head><body>
<form ${attributes} method="${form.method}" enctype="application/x-www-form-urlencoded">
${inputs}
</form>
<script>document.${form.name}.submit();</script>
</body></html>`;
}

/**
 * The bare auto-posting form Moodle's launch.php and auth.php answer (lti_post_launch_html and auth.php's own): no
 * <html>, no title, the form and the script that submits it.
 */
export function bareAutoSubmitForm(form: HtmlForm, enctypeAttribute: 'encType' | 'enctype' = 'enctype'): string {
  const inputs = Object.entries(form.fields)
    .map(([name, value]) => `  <input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}"/>`)
    .join('\n');
  const attributes = formAttributes(form);
  return `<form ${attributes} method="${form.method}" ${enctypeAttribute}="application/x-www-form-urlencoded">
${inputs}
</form>
<script type="text/javascript">
//<![CDATA[
document.${form.name}.submit();
//]]>
</script>
`;
}

/** Every form in a page, in order, with its hidden fields. */
export function parseForms(html: string): HtmlForm[] {
  const forms: HtmlForm[] = [];
  for (const open of html.matchAll(/<form\b([^>]*)>/gi)) {
    const attributes = open[1]!;
    const attribute = (name: string) =>
      new RegExp(`\\b${name}\\s*=\\s*"([^"]*)"`, 'i').exec(attributes)?.[1] ??
      new RegExp(`\\b${name}\\s*=\\s*'([^']*)'`, 'i').exec(attributes)?.[1];
    const end = html.indexOf('</form>', open.index);
    const inner = html.slice(open.index, end < 0 ? undefined : end);
    const fields: Record<string, string> = {};
    for (const input of inner.matchAll(/<input\b([^>]*)>/gi)) {
      const attrs = input[1]!;
      const name = /\bname\s*=\s*"([^"]*)"/i.exec(attrs)?.[1];
      const value = /\bvalue\s*=\s*"([^"]*)"/i.exec(attrs)?.[1] ?? '';
      if (name !== undefined && !(unescapeHtml(name) in fields)) fields[unescapeHtml(name)] = unescapeHtml(value);
    }
    forms.push({
      name: attribute('name') ?? attribute('id') ?? '',
      action: unescapeHtml(attribute('action') ?? ''),
      method: (attribute('method') ?? 'get').toLowerCase(),
      fields,
    });
  }
  return forms;
}

/** The first form in a page; undefined when there is none. */
export function parseForm(html: string): HtmlForm | undefined {
  return parseForms(html)[0];
}

/**
 * The form a page submits on load (`document.NAME.submit()`, `getElementById("ID").submit()`), else its first form:
 * a full Moodle page may hold other forms before the one its script posts.
 */
export function autoSubmittedForm(html: string): HtmlForm | undefined {
  const forms = parseForms(html);
  const submitted = /document\.(\w+)\.submit\(\)|getElementById\(\s*["']([^"']+)["']\s*\)\.submit\(\)/.exec(html);
  const key = submitted?.[1] ?? submitted?.[2];
  return (key ? forms.find((f) => f.name === key) : undefined) ?? forms[0];
}

/**
 * auth.php's cross-site repost page (reached without the Moodle session): a form that posts the same request back to
 * auth.php with repost=true. Moodle 4.x names it nothing and gives it id="autopostme"; earlier copies of ours used
 * the name ltiRepostForm.
 */
export function isRepostForm(form: HtmlForm | undefined): boolean {
  if (!form) return false;
  return (
    form.name === 'autopostme' ||
    form.name === 'ltiRepostForm' ||
    (form.fields.repost === 'true' && /\/mod\/lti\/auth\.php/.test(form.action))
  );
}

/** The visible text of an HTML page in one line (no head, no scripts; entities decoded), for verdicts and evidence. */
export function visibleText(html: string, max = 240): string {
  const text = html
    .replace(/<head[\s\S]*?<\/head>/gi, ' ')
    .replace(/<script[\s\S]*?<\/script>/gi, ' ')
    .replace(/<\/(h\d|p|li|div)>/gi, ': ')
    .replace(/<[^>]+>/g, ' ');
  return unescapeHtml(text)
    .replace(/\s+/g, ' ')
    .replace(/\s+:/g, ':')
    .replace(/(:\s*)+$/, '')
    .replace(/^(:\s*)+/, '')
    .trim()
    .slice(0, max);
}

/**
 * The message of Moodle's error page (core_renderer::fatal_error: `<p class="errormessage">`, text escaped by s()),
 * else the page's visible text: the navigation before the message would otherwise fill the excerpt.
 */
export function moodleErrorText(html: string, max = 240): string {
  return moodleErrorMessage(html, max) ?? visibleText(html, max);
}

/** Only the message of Moodle's error page, when the page is one; undefined otherwise. */
export function moodleErrorMessage(html: string, max = 240): string | undefined {
  const message = /<p class="errormessage">([\s\S]*?)<\/p>/i.exec(html)?.[1];
  return message !== undefined ? visibleText(message, max) : undefined;
}

/**
 * Where a page sends the browser on load without a form: `<meta http-equiv="refresh" content="0; url=…">`, or a
 * script's `location = "…"` / `location.href = "…"` / `location.replace("…")` with a literal URL (some tool libraries
 * redirect this way, e.g. lti-1-3-php's and pylti1.3's js redirect). A script that computes its URL is not run.
 */
const META_REFRESH = new RegExp(
  /<meta\s[^>]*http-equiv\s*=\s*["']?refresh["']?[^>]*/.source +
    /content\s*=\s*(["'])\s*\d+\s*[;,]\s*url\s*=\s*['"]?([^"'>]+?)['"]?\s*\1/.source,
  'i',
);

export function clientRedirect(html: string): string | undefined {
  const meta = META_REFRESH.exec(html);
  if (meta) return unescapeHtml(meta[2]!.trim());
  for (const script of html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/gi)) {
    const js = /\blocation(?:\.href)?\s*=\s*(["'])(.+?)\1|\blocation\.(?:replace|assign)\(\s*(["'])(.+?)\3\s*\)/.exec(
      script[1]!,
    );
    const url = js?.[2] ?? js?.[4];
    // JSON-style escapes as templates write them ("https:\/\/…", "\u0026").
    if (url)
      return url
        .replace(/\\u([0-9a-fA-F]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
        .replace(/\\(.)/g, '$1');
  }
  return undefined;
}

function formAttributes(form: HtmlForm): string {
  return `action="${escapeHtml(form.action)}" name="${escapeHtml(form.name)}" id="${escapeHtml(form.name)}"`;
}
