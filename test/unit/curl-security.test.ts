import { describe, expect, it } from 'vitest';
import { blockedByDefault } from '../../src/moodle/curl-security.js';

describe("Moodle's default outgoing-HTTP guard", () => {
  it('blocks loopback, private and link-local hosts, and ports other than 80 and 443', () => {
    for (const url of [
      'http://127.0.0.1/jwks',
      'http://localhost:80/jwks',
      'https://10.1.2.3/k',
      'https://192.168.0.9/k',
      'https://172.20.0.1/k',
      'http://169.254.169.254/latest',
      'http://[::1]/k',
    ]) {
      expect(blockedByDefault(url)?.setting, url).toBe('curlsecurityblockedhosts');
    }
    expect(blockedByDefault('https://uni.inspera.com:8443/k')).toMatchObject({
      setting: 'curlsecurityallowedport',
      label: 'cURL allowed ports list',
    });
  });

  it('lets public hosts on 80 and 443 through', () => {
    for (const url of [
      'https://uni.inspera.com/ICSXapi/metadata/PublicCertificates',
      'http://172.32.0.1/k',
      'https://11.0.0.1:443/k',
    ]) {
      expect(blockedByDefault(url), url).toBeUndefined();
    }
  });
});
