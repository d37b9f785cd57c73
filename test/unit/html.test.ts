import { describe, expect, it } from 'vitest';
import { autoSubmitPage, autoSubmittedForm, escapeHtml, unescapeHtml } from '../../src/sim/html.js';

describe('escapeHtml and unescapeHtml', () => {
  it('escape the five characters and read them back, leaving other text as it is', () => {
    const text = `a & b < c > d "e" 'f' &amp; eyJhbGciOiJSUzI1NiJ9.x_y-z`;
    expect(escapeHtml(text)).toBe('a &amp; b &lt; c &gt; d &quot;e&quot; &#39;f&#39; &amp;amp; eyJhbGciOiJSUzI1NiJ9.x_y-z');
    expect(unescapeHtml(escapeHtml(text))).toBe(text);
    expect(escapeHtml('eyJ0eXAiOiJKV1QifQ')).toBe('eyJ0eXAiOiJKV1QifQ');
  });

  it('decode each entity once (&amp;lt; is the text &lt;), Moodle\'s &#039; too, and leave unknown entities', () => {
    expect(unescapeHtml('&amp;lt; &#039;x&#039; &#39; &nbsp; &quot;')).toBe(`&lt; 'x' ' &nbsp; "`);
  });

  it('a form written with any field value reads back the same', () => {
    const fields = { id_token: 'eyJ.a.b', state: `s&t<a>"te'`, empty: '' };
    expect(autoSubmittedForm(autoSubmitPage({ name: 'ltiAuthForm', action: 'https://t.example/launch?a=1&b=2', method: 'post', fields })))
      .toEqual({ name: 'ltiAuthForm', action: 'https://t.example/launch?a=1&b=2', method: 'post', fields });
  });
});
