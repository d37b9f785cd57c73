import type { CheckResult } from '../core/result.js';
import type { Config } from '../config/types.js';
import { describeParameter } from '../inspera/custom-parameters.js';
import { lintToolDetails } from '../moodle/lint-tool-details.js';
import { adviseOnSettings } from '../moodle/settings-advice.js';
import type { Finding } from './diagnosis.js';

/** Which cause a lint finding of the six values points at. */
function causeOfLint(id: string): string {
  const [, field, problem] = id.split('.');
  if (field === 'platformId') return problem === 'inner-whitespace' || problem === 'invisible-character' || problem === 'surrounding-whitespace' || problem === 'local' ? 'recorded-value' : 'issuer-mismatch';
  if (field === 'clientId') return problem === 'shape' ? 'client-id' : 'recorded-value';
  if (field === 'deploymentId') return 'deployment-id';
  if (problem === 'other-host' || problem === 'not-under-platform-id') return 'wwwroot';
  return 'recorded-value';
}

const SETTINGS: Record<string, string> = {
  'moodle.nrps-off': 'nrps-off',
  'moodle.enroll-candidates-missing': 'nrps-off',
  'moodle.ags-level': 'ags-off',
  'moodle.accept-grades': 'accept-grades',
  'moodle.privacy-shareName': 'privacy',
  'moodle.privacy-shareEmail': 'privacy',
  'moodle.launch-container-iframe': 'state-cookie',
};

/** Everything `record` warns about, plus the Moodle settings Inspera's features depend on (FAQ). */
export function diagnoseConfig(config: Config): { findings: Finding[]; passed: CheckResult[] } {
  const findings: Finding[] = [];
  const passed: CheckResult[] = [];
  const lint = lintToolDetails(config.platform, { allowInsecure: config.allowInsecure, allowIdn: config.allowIdn });
  for (const problem of lint) {
    findings.push({ cause: causeOfLint(problem.id), source: 'config', severity: problem.status === 'fail' ? 'fail' : 'warn', seen: `recorded ${problem.finding}`, certainty: 10, ...(problem.fix?.value ? { fixValue: problem.fix.value } : {}) });
  }
  if (Object.keys(config.platform).length && !lint.length) passed.push({ id: 'config.platform', title: 'Recorded Tool configuration details', status: 'pass', finding: 'the six values are consistent' });
  for (const advice of adviseOnSettings(config)) {
    const id = SETTINGS[advice.id];
    // The iframe container only raises the odds of a lost cookie; it is not itself broken.
    if (id) findings.push({ cause: id, source: 'config', severity: advice.id === 'moodle.launch-container-iframe' ? 'warn' : advice.status === 'fail' ? 'fail' : 'warn', seen: `config: ${advice.finding}` });
  }
  for (const [name, value] of Object.entries(config.tool?.customParameters ?? {})) {
    for (const note of describeParameter(name, value, { nrps: config.moodle.services.nrps })) {
      if (!note.message.includes('needs Moodle')) findings.push({ cause: 'custom-parameter', source: 'config', severity: 'warn', seen: `custom parameter ${note.message}` });
    }
  }
  if (config.tool && !findings.some((f) => ['nrps-off', 'ags-off', 'accept-grades', 'privacy'].includes(f.cause))) {
    passed.push({ id: 'config.settings', title: 'Moodle settings for Inspera', status: 'pass', finding: 'services, privacy and custom parameters as Inspera needs them' });
  }
  return { findings, passed };
}
