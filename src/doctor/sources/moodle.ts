import type { CheckResult } from '../../core/result.js';
import { auditActivity } from '../../moodle/admin/activity.js';
import { auditStoredTool } from '../../moodle/admin/audit.js';
import { asFinding, finding, type Finding } from '../diagnosis.js';
import type { DoctorSource } from '../inputs.js';

/**
 * The Inspera tool as Moodle stores it (doctor --moodle): every field of its edit form against what init prescribes
 * for this tenant, the tool's state, and the Client ID and Deployment ID against the recorded ones.
 */
export const moodleSource: DoctorSource = {
  given: (inputs) => inputs.moodle !== undefined,
  async read({ moodle, config }) {
    const reading = moodle!;
    const findings: Finding[] = [];
    const passed: CheckResult[] = [];
    if (reading.launchToken !== undefined)
      return { described: `Moodle ${reading.wwwroot}: ${reading.chosenBy}`, findings, passed };
    const described = `the tools Moodle ${reading.wwwroot} stores (${reading.chosenBy})`;
    if (!config.tool) {
      return {
        described,
        findings,
        passed,
        unchecked: [
          { what: 'the stored tool: no Inspera tenant configured to compare with (inspera-lti init --domain)' },
        ],
      };
    }
    if (reading.stored.length === 0) {
      findings.push(
        finding(
          'moodle',
          'tool-setting',
          'fail',
          `none of the ${reading.listed.length} LTI tools in Moodle points at ${config.tool.domain}: ` +
            'Manage tools has no Inspera tool for this tenant',
        ),
      );
      return { described, findings, passed };
    }
    if (reading.stored.length > 1) {
      findings.push(
        finding(
          'moodle',
          'tool-setting',
          'fail',
          `${reading.stored.length} tools point at ${config.tool.domain} (ids ` +
            `${reading.stored.map((t) => t.id).join(', ')}): activities may launch through either, each with its own ` +
            'Client ID and Deployment ID — keep one (or choose with --tool-id)',
        ),
      );
    }
    for (const stored of reading.stored) {
      const listed = reading.listed.find((t) => t.id === stored.id);
      const prefix = reading.stored.length > 1 ? `tool ${stored.id}: ` : '';
      for (const result of auditStoredTool(stored, listed, {
        urls: config.tool.urls,
        customParameters: config.tool.customParameters,
        settings: config.moodle,
        recorded: config.platform,
      })) {
        const id = `${result.id}${reading.stored.length > 1 ? `.${stored.id}` : ''}`;
        if (result.status === 'pass') passed.push({ ...result, id, finding: `${prefix}${result.finding}` });
        else {
          const found = asFinding({ ...result, id }, 'moodle', `Moodle ${prefix}"${result.title}": `);
          if (found) findings.push(found);
        }
      }
    }
    if (reading.activity) {
      const activity = reading.activity;
      const tool = reading.stored.find((t) => t.id === activity.typeId) ?? reading.stored[0]!;
      for (const result of auditActivity(activity, tool)) {
        if (result.status === 'pass') passed.push(result);
        else {
          const found = asFinding(result, 'moodle', `Moodle activity ${activity.cmid} "${result.title}": `);
          if (found) findings.push(found);
        }
      }
    }
    return { described, findings, passed };
  },
};
