import { describe, expect, it } from 'vitest';
import { decodeForm, encodeForm } from '../../src/util/form.js';

const SAMPLES: Array<Record<string, string>> = [
  { id_token: 'eyJ0eXAiOiJKV1QifQ.eyJub25jZSI6IngifQ.c2ln-_', state: 'a1b2', empty: '' },
  {
    'we ird': "sp ace + plus & amp = eq ! ' ( ) ~ * %41 ü 😀 \u0000 \ud800",
    lti_message_hint: '{"cmid":12,"launchid":"ltilaunch1_2"}',
  },
  { redirect_uri: 'https://t.example/launch?a=1&b=2#f', 'a.b-c_d*': 'A-Z.a_z*0-9' },
];

describe('encodeForm and decodeForm', () => {
  it('write what URLSearchParams writes, for plain and awkward values alike', () => {
    for (const fields of SAMPLES) expect(encodeForm(fields)).toBe(new URLSearchParams(fields).toString());
  });

  it('read what URLSearchParams reads, repeated names, empty parts and malformed escapes included', () => {
    const texts = [
      ...SAMPLES.map((f) => new URLSearchParams(f).toString()),
      'a=1&&b&a=2&=x&c==d',
      'bad=%zz%4&ok=%41+b',
      '&',
      '',
    ];
    for (const text of texts) expect(decodeForm(text)).toEqual([...new URLSearchParams(text)]);
  });
});
