import { cause } from '../../core/causes.js';
import type { Check } from '../../core/result.js';
import { LAUNCH_CONTAINERS } from '../../moodle/settings.js';
import { offersLocalNetworkSetting } from '../../moodle/versions.js';
import { addressSpace, morePrivate, type AddressSpace } from '../../util/address-space.js';
import { result, type ValidateContext } from './context.js';
import { NO_TENANT, discoveredRelease } from './tool-checks.js';

const ID = 'tool.local-network';
const TITLE = "Chrome's Local Network Access and an embedded launch";

/** The space a host's first address is in, as this machine resolves it. */
async function spaceOf(
  ctx: ValidateContext,
  host: string,
): Promise<{ space: AddressSpace; address: string } | undefined> {
  const [address] = await ctx.resolve(host);
  const space = address ? addressSpace(address) : undefined;
  return address && space ? { space, address } : undefined;
}

/**
 * Chrome 142's Local Network Access (MDL-87258): a page may not load a frame from a more private address space than
 * its own without permission. Moodle's Embed container loads the tool in an iframe of its page, so a tool on a
 * private, link-local or loopback address behind a Moodle on a less private one is blocked — unless the site runs a
 * release with `$CFG->ltiallowlocalnetwork` (4.5.9, 5.0.5, 5.1.2 and later) and sets it. A new window is not
 * affected (top-level navigations are not subject to it).
 */
export const localNetworkCheck: Check<ValidateContext> = {
  id: ID,
  title: TITLE,
  async run(ctx) {
    const tool = ctx.config.tool;
    if (!tool) return result(ID, TITLE, 'skip', `not checked: ${NO_TENANT}`);
    const toolHost = new URL(tool.urls.loginInitUrl).hostname;
    const toolSpace = await spaceOf(ctx, toolHost);
    if (!toolSpace) return result(ID, TITLE, 'skip', `not checked: ${toolHost} does not resolve from this machine`);
    if (toolSpace.space === 'public')
      return result(ID, TITLE, 'pass', `${toolHost} is on a public address (${toolSpace.address}): nothing to block`);
    const platformId = ctx.config.platform.platformId?.trim();
    const moodleHost = platformId ? URL.canParse(platformId) && new URL(platformId).hostname : undefined;
    const moodleSpace = moodleHost ? await spaceOf(ctx, moodleHost) : undefined;
    // Browsers reach a Moodle whose address this machine does not know: public is the usual case, and said so.
    const moodle = moodleSpace ?? { space: 'public' as const, address: 'assumed public' };
    const where = `${toolHost} is on a ${toolSpace.space} address (${toolSpace.address}), Moodle${
      moodleHost ? ` (${moodleHost})` : ''
    } on a ${moodle.space} one (${moodle.address}), as this machine resolves them`;
    if (!morePrivate(toolSpace.space, moodle.space))
      return result(ID, TITLE, 'pass', `${where}: not a more private network than Moodle's, nothing to block`);
    const container = LAUNCH_CONTAINERS[ctx.config.moodle.launchContainer];
    if (container.documentTarget !== 'iframe')
      return result(
        ID,
        TITLE,
        'pass',
        `${where}; the tool opens in a ${container.label.toLowerCase()}, which Chrome does not block`,
      );
    const release = await discoveredRelease(ctx);
    const blocked =
      `${where}: Chrome 142 and later block the ${container.label} launch's iframe from reaching it (Local Network ` +
      'Access)';
    const newWindow = { ...cause('local-network-access').fix };
    if (release && offersLocalNetworkSetting(release))
      return result(
        ID,
        TITLE,
        'warn',
        `${blocked}, unless Moodle's config.php sets $CFG->ltiallowlocalnetwork = true ` +
          `(Moodle ${release.number} has it)`,
        {
          cause: { id: 'local-network-access' },
          fix: {
            system: 'Moodle',
            where: "Moodle's config.php (the site's server)",
            field: '$CFG->ltiallowlocalnetwork',
            value: 'true',
            action: 'set it, so the Embed iframe may reach the tool; or launch in a New window',
          },
        },
      );
    return result(
      ID,
      TITLE,
      release ? 'fail' : 'warn',
      release
        ? `${blocked}, and Moodle ${release.number} has no $CFG->ltiallowlocalnetwork ` +
            '(4.5.9, 5.0.5, 5.1.2 and later do)'
        : `${blocked}, unless the site runs 4.5.9, 5.0.5, 5.1.2 or later and sets $CFG->ltiallowlocalnetwork (its ` +
            'version is not known)',
      { cause: { id: 'local-network-access', certainty: release ? 10 : 0 }, fix: newWindow },
    );
  },
};
