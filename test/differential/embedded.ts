import { insperaRecommendedSettings } from '../../src/moodle/settings.js';
import { startPlatform, type EmbeddedPlatform } from '../../src/sim/platform/server.js';
import { defaultWorld } from '../../src/sim/world.js';
import { CHECKED_RELEASE, moodleRelease } from '../../src/moodle/versions.js';
import { fixtureKey } from '../helpers/sim.js';
import type { Target } from './exchanges.js';

/** The custom parameters both sites are set up with (init's recommendation). */
export const CUSTOM_PARAMETERS = 'enroll_candidates=true\nskip_incomplete_members=true\nuse_template_on_create=true';
export const TOOL_ORIGIN = 'http://127.0.0.1:9';
/** The course both sides have for the script (on the real site, one of its own). */
export const COURSE = { fullname: 'Introduction to Assessment', shortname: 'DIFF101' };

/**
 * The embedded platform set up like the real-Moodle suite's site: the same tool settings, users, course and activity.
 */
export async function embeddedTarget(
  release: string = CHECKED_RELEASE,
): Promise<{ target: Target; platform: EmbeddedPlatform }> {
  const toolKey = fixtureKey('tool');
  // The embedded platform plays the release it is compared with (the recordings are of Moodle 4.5.6).
  const world = { ...defaultWorld(), moodle: moodleRelease(release) };
  world.course.fullname = COURSE.fullname;
  world.course.shortname = COURSE.shortname;
  world.activity.intro = '';
  const settings = insperaRecommendedSettings();
  settings.launchContainer = 'new-window';
  const platform = await startPlatform({
    wwwroot: 'http://placeholder',
    clientId: 'EhdzqulqmXxNDkw',
    typeId: '3',
    tool: {
      toolUrl: `${TOOL_ORIGIN}/ltiprovider/launch`,
      loginInitUrl: `${TOOL_ORIGIN}/ltiprovider/init`,
      redirectUrls: [`${TOOL_ORIGIN}/ltiprovider/launch`],
      keysetUrl: `${TOOL_ORIGIN}/ICSXapi/metadata/PublicCertificates`,
      customParameters: CUSTOM_PARAMETERS,
    },
    settings,
    key: fixtureKey('platform'),
    world,
    fetchKeyset: async () => ({ status: 200, body: JSON.stringify({ keys: [toolKey.jwk] }) }),
  });
  platform.setup.wwwroot = platform.server.origin;
  const user = (name: string) => ({
    id: String(world.users.find((u) => u.username === name)!.id),
    password: 'any-password',
  });
  const target: Target = {
    wwwroot: platform.server.origin,
    siteName: world.siteName,
    siteFullName: world.siteFullName,
    clientId: 'EhdzqulqmXxNDkw',
    typeId: '3',
    courseId: String(world.course.id),
    cmid: String(world.activity.cmid),
    instanceId: String(world.activity.instanceId),
    gradeItemId: String(world.activity.gradeItemId),
    users: { ada: user('ada'), alan: user('alan'), teacher: user('teacher') },
    toolOrigin: TOOL_ORIGIN,
    toolKey,
    otherKey: fixtureKey('other'),
    configureTool: async (changes) => {
      platform.setup.settings.launchContainer = changes.launchContainer ?? 'new-window';
      platform.setup.tool.customParameters = changes.customParameters ?? CUSTOM_PARAMETERS;
      platform.setup.settings.privacy.shareName = changes.shareName ?? 'always';
      platform.setup.settings.privacy.shareEmail = changes.shareEmail ?? 'always';
    },
  };
  return { target, platform };
}
