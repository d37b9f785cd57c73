import { describe, expect, it } from 'vitest';
import { autoSubmitPage, autoSubmittedForm, clientRedirect, escapeHtml, unescapeHtml } from '../../src/util/html.js';

describe('escapeHtml and unescapeHtml', () => {
  it('escape the five characters and read them back, leaving other text as it is', () => {
    const text = `a & b < c > d "e" 'f' &amp; eyJhbGciOiJSUzI1NiJ9.x_y-z`;
    expect(escapeHtml(text)).toBe(
      'a &amp; b &lt; c &gt; d &quot;e&quot; &#39;f&#39; &amp;amp; eyJhbGciOiJSUzI1NiJ9.x_y-z',
    );
    expect(unescapeHtml(escapeHtml(text))).toBe(text);
    expect(escapeHtml('eyJ0eXAiOiJKV1QifQ')).toBe('eyJ0eXAiOiJKV1QifQ');
  });

  it("decode each entity once (&amp;lt; is the text &lt;), Moodle's &#039; too, and leave unknown entities", () => {
    expect(unescapeHtml('&amp;lt; &#039;x&#039; &#39; &nbsp; &quot;')).toBe(`&lt; 'x' ' &nbsp; "`);
  });

  it('a form written with any field value reads back the same', () => {
    const fields = { id_token: 'eyJ.a.b', state: `s&t<a>"te'`, empty: '' };
    expect(
      autoSubmittedForm(
        autoSubmitPage({ name: 'ltiAuthForm', action: 'https://t.example/launch?a=1&b=2', method: 'post', fields }),
      ),
    ).toEqual({ name: 'ltiAuthForm', action: 'https://t.example/launch?a=1&b=2', method: 'post', fields });
  });
});

describe('clientRedirect: where a page sends the browser without a form', () => {
  it.each([
    [
      '<meta http-equiv="refresh" content="0; url=https://moodle.example.edu/mod/lti/auth.php?a=1&amp;b=2">',
      'https://moodle.example.edu/mod/lti/auth.php?a=1&b=2',
    ],
    ["<META HTTP-EQUIV='Refresh' CONTENT='2;URL=/next'>", '/next'],
    [
      '<script>window.location="https:\\/\\/m.example.edu\\/auth.php?x=1\\u0026y=2";</script>',
      'https://m.example.edu/auth.php?x=1&y=2',
    ],
    [
      '<script type="text/javascript">window.location.href = \'https://m.example.edu/a\';</script>',
      'https://m.example.edu/a',
    ],
    ['<script>location.replace("https://m.example.edu/b")</script>', 'https://m.example.edu/b'],
  ])('%s', (html, url) => {
    expect(clientRedirect(html)).toBe(url);
  });

  it('a script that computes its URL, or the word in text, is no redirect', () => {
    expect(clientRedirect('<script>window.location = base + "/auth.php";</script>')).toBeUndefined();
    expect(clientRedirect('<p>location = "https://example.edu"</p>')).toBeUndefined();
    expect(clientRedirect('<form action="/x"></form>')).toBeUndefined();
  });
});
