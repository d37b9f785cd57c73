import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createValidateContext } from '../../src/checks/validate/context.js';
import { localNetworkCheck } from '../../src/checks/validate/local-network-check.js';
import { parseConfig } from '../../src/config/parse.js';
import { createProber } from '../../src/http/probe.js';
import { addressSpace } from '../../src/util/address-space.js';

/**
 * Chrome's Local Network Access against an embedded launch (issue 32, point 4). Names resolve through a table here
 * (the check's resolver), and a purpose-built Moodle answers discovery with the release each case needs.
 */
const prober = createProber({ env: {} });
let moodle: Server;
let origin: string;
let release = '4.5.6 (Build: 20250811)';

beforeAll(async () => {
  moodle = createServer((_req, res) =>
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ 'https://purl.imsglobal.org/spec/lti-platform-configuration': { version: release } })),
  );
  await new Promise<void>((r) => moodle.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(moodle.address() as AddressInfo).port}`;
});
afterAll(async () => {
  moodle.closeAllConnections();
  moodle.close();
  await prober.close();
});

const ADDRESSES: Record<string, string[]> = {
  'exam.internal.example': ['10.20.30.40'],
  'tenant.inspera.example': ['203.0.113.7'],
  localhost: ['127.0.0.1'],
  '127.0.0.1': ['203.0.113.5'],
};

async function check(domain: string, launchContainer: string, moodleAddress = '203.0.113.5') {
  const config = parseConfig(
    {
      allowInsecure: true,
      tool: { domain, scheme: 'https' },
      platform: { platformId: origin, clientId: 'EhdzqulqmXxNDkw', deploymentId: '3' },
      moodle: { launchContainer },
    },
    'test',
  ).config;
  const resolve = async (host: string) => (host === '127.0.0.1' ? [moodleAddress] : (ADDRESSES[host] ?? []));
  return localNetworkCheck.run(createValidateContext(config, prober, 2_000, resolve));
}

describe('address spaces', () => {
  it.each([
    ['10.0.0.1', 'local'],
    ['172.16.5.4', 'local'],
    ['172.32.0.1', 'public'],
    ['192.168.1.1', 'local'],
    ['169.254.1.1', 'local'],
    ['127.0.0.1', 'loopback'],
    ['::1', 'loopback'],
    ['fd12:3456::1', 'local'],
    ['fe80::1', 'local'],
    ['::ffff:10.0.0.1', 'local'],
    ['2001:db8::1', 'public'],
    ['8.8.8.8', 'public'],
    ['not an address', undefined],
  ])('%s is %s', (address, space) => {
    expect(addressSpace(address)).toBe(space);
  });
});

describe('tool.local-network', () => {
  it('a tool on a public address: nothing to block', async () => {
    expect(await check('tenant.inspera.example', 'embed')).toMatchObject({ status: 'pass' });
  });

  it('a private tool behind a public Moodle, embedded, on 4.5.6 (no setting): a failure, New window', async () => {
    release = '4.5.6 (Build: 20250811)';
    const result = await check('exam.internal.example', 'embed-no-blocks');
    expect(result).toMatchObject({
      status: 'fail',
      cause: { id: 'local-network-access' },
      fix: { system: 'Moodle', field: 'Default launch container', value: 'New window' },
    });
    expect(result.finding).toContain('exam.internal.example is on a local address (10.20.30.40)');
    expect(result.finding).toContain('Moodle 4.5.6 has no $CFG->ltiallowlocalnetwork');
  });

  it('on 5.2.1 (the setting exists): a warning naming config.php and its value', async () => {
    release = '5.2.1+ (Build: 20260714)';
    const result = await check('exam.internal.example', 'embed');
    expect(result).toMatchObject({
      status: 'warn',
      fix: { system: 'Moodle', field: '$CFG->ltiallowlocalnetwork', value: 'true' },
    });
  });

  it('a new window is not blocked; a Moodle on the same private network is not either', async () => {
    expect(await check('exam.internal.example', 'new-window')).toMatchObject({ status: 'pass' });
    const inside = await check('exam.internal.example', 'embed', '10.1.1.1');
    expect(inside.status).toBe('pass');
    expect(inside.finding).toContain('not a more private network');
  });

  it('a loopback tool behind a private Moodle: more private still; a name resolving nowhere: not checked', async () => {
    release = '4.5.6 (Build: 20250811)';
    expect((await check('localhost', 'embed', '10.1.1.1')).status).toBe('fail');
    expect(await check('nowhere.invalid', 'embed')).toMatchObject({ status: 'skip' });
  });
});
