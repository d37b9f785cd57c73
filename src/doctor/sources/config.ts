import type { CheckResult } from '../../core/result.js';
import { describeParameter } from '../../inspera/custom-parameters.js';
import { lintToolDetails } from '../../moodle/lint-tool-details.js';
import { adviseOnSettings } from '../../moodle/settings-advice.js';
import { asFinding, finding, type Finding } from '../diagnosis.js';
import type { DoctorSource } from '../inputs.js';

/** The config: everything `record` checks on the six values, and the Moodle settings Inspera's features depend on. */
export const configSource: DoctorSource = {
  given: (inputs) => inputs.configSource !== undefined,
  async read({ config, configSource }) {
    const findings: Finding[] = [];
    const passed: CheckResult[] = [];
    const lint = lintToolDetails(config.platform, { allowInsecure: config.allowInsecure, allowIdn: config.allowIdn });
    for (const problem of lint) {
      const found = asFinding(problem, 'config', 'recorded ');
      if (found) findings.push(found);
    }
    if (Object.keys(config.platform).length && !lint.length)
      passed.push({
        id: 'config.platform',
        title: 'Recorded Tool configuration details',
        status: 'pass',
        finding: 'the six values are consistent',
      });
    for (const advice of adviseOnSettings(config)) {
      // The iframe container only raises the odds of a lost cookie; it is not itself broken.
      const found = asFinding(
        advice.id === 'moodle.launch-container-iframe' ? { ...advice, status: 'warn' } : advice,
        'config',
        'config: ',
      );
      if (found) findings.push(found);
    }
    for (const [name, value] of Object.entries(config.tool?.customParameters ?? {})) {
      for (const note of describeParameter(name, value, { nrps: config.moodle.services.nrps })) {
        if (!note.message.includes('needs Moodle'))
          findings.push(finding('config', 'custom-parameter', 'warn', `custom parameter ${note.message}`));
      }
    }
    if (
      config.tool &&
      !findings.some((f) => ['nrps-off', 'ags-off', 'accept-grades', 'privacy'].includes(f.cause.id))
    ) {
      passed.push({
        id: 'config.settings',
        title: 'Moodle settings for Inspera',
        status: 'pass',
        finding: 'services, privacy and custom parameters as Inspera needs them',
      });
    }
    return { described: `config ${configSource}`, findings, passed };
  },
};
