import { invocation } from '../invocation.js';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../../config/load.js';
import { parseConfig } from '../../config/parse.js';
import { DEMO_DOMAIN, DEMO_PLATFORM } from '../../sim/environment.js';
import { explicitConfigPath } from '../config-path.js';
import { simulationKeys } from '../keys.js';
import { moodleRelease, NEWEST_RELEASE } from '../../moodle/versions.js';
import { createOutput } from '../output.js';

export interface DemoFlags {
  moodleVersion?: string;
  json?: boolean;
  config?: string;
  color?: boolean;
}

export async function runDemo(flags: DemoFlags): Promise<number> {
  const out = createOutput({ color: flags.color, json: flags.json, yes: true });
  const _s = out.style;
  const started = performance.now();
  const explicit = explicitConfigPath(flags.config);
  const loaded = explicit ? await loadConfig({ configPath: explicit }) : undefined;
  const config =
    loaded?.config ??
    parseConfig(
      {
        tool: { domain: DEMO_DOMAIN, customParameters: { enroll_candidates: 'true', skip_incomplete_members: 'true' } },
        platform: DEMO_PLATFORM,
      },
      'built-in demo config',
    ).config;
  if (!out.json) out.log('starting the embedded Moodle and Inspera…');
  const keys = await simulationKeys(config, loaded?.filepath);
  const moodle = moodleRelease(flags.moodleVersion ?? NEWEST_RELEASE);
  const [{ playDemo }, { presentDemo }] = await Promise.all([import('../../sim/demo.js'), import('../render/demo.js')]);
  const result = await playDemo({ config, keys, moodle });
  // The next commands said as they run from here (npx in a clone, the bare name once on PATH): they work as printed.
  return presentDemo(out, result, {
    seconds: Math.round((performance.now() - started) / 100) / 10,
    moodle: moodle.number,
    next: invocation(),
  });
}
