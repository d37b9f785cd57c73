import type { CheckResult } from '../../core/result.js';
import { auditActivity } from '../../moodle/admin/activity.js';
import { auditStoredTool } from '../../moodle/admin/audit.js';
import { toolLabel } from '../../moodle/admin/stored-tools.js';
import { asFinding, finding, type Finding, type Unchecked } from '../diagnosis.js';
import type { DoctorSource } from '../inputs.js';
import { MANAGE_TOOLS } from '../../moodle/checklist.js';

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
    const unchecked: Unchecked[] = [];
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
      const addable = reading.addForm?.available !== false;
      findings.push({
        ...finding(
          'moodle',
          'tool-setting',
          'fail',
          `none of the ${reading.listed.length} LTI tools in Moodle points at ${config.tool.domain}: ` +
            'Manage tools has no Inspera tool for this tenant',
        ),
        fix: {
          system: 'Moodle',
          where: MANAGE_TOOLS,
          field: 'configure a tool manually',
          action: addable
            ? 'add the Inspera tool with the values inspera-lti init prints — or run inspera-lti init --apply, ' +
              'which adds it through that same form'
            : `this site shows no form to add a tool (${reading.addForm?.why}), so neither a person nor ` +
              'init --apply can add one there: have the tool added where the site allows it',
        },
      });
      return { described, findings, passed };
    }
    // Several tools on the tenant's domain: the extra one is the cause. The tool holding the recorded Client ID is
    // the one that works; telling Inspera the other's ids would break it, so those are not compared.
    const recordedClient = config.platform.clientId?.trim();
    const holder = reading.stored.find((t) => t.clientId === recordedClient);
    const named = toolLabel;
    if (reading.stored.length > 1) {
      const extras = reading.stored.filter((t) => t !== holder);
      findings.push({
        ...finding(
          'moodle',
          'tool-setting',
          'fail',
          `${reading.stored.length} tools point at ${config.tool.domain} (ids ` +
            `${reading.stored.map((t) => t.id).join(', ')}): ` +
            (holder
              ? `${named(holder)} holds the recorded Client ID ${recordedClient}; ${extras.map(named).join(', ')} ` +
                `${extras.length === 1 ? 'does' : 'do'} not — activities of ` +
                `${extras.length === 1 ? 'it' : 'them'} launch with ids Inspera does not know`
              : `none holds the recorded Client ID ${recordedClient ?? '(none recorded)'}: activities may launch ` +
                'through any, each with its own Client ID and Deployment ID'),
        ),
        fix: {
          system: 'Moodle',
          where: MANAGE_TOOLS,
          field: holder ? `the card of ${extras.map(named).join(', ')}` : `the tools on ${config.tool.domain}`,
          action: holder
            ? 'delete (or hide) the extra tool, after moving its activities to the recorded one — or register it in ' +
              'Inspera as a further deployment (its own Client ID and Deployment ID); leave the recorded one as it is'
            : 'keep one tool (choose with --tool-id to audit it), then record its six values (record --from-moodle)',
        },
      });
    }
    for (const stored of reading.stored) {
      // The extra tool's ids differ from the recorded ones by nature: not findings against the working tool.
      const extra = reading.stored.length > 1 && holder !== undefined && stored !== holder;
      const listed = extra ? undefined : reading.listed.find((t) => t.id === stored.id);
      const prefix = reading.stored.length > 1 ? `tool ${stored.id}: ` : '';
      for (const result of auditStoredTool(stored, listed, {
        urls: config.tool.urls,
        customParameters: config.tool.customParameters,
        settings: config.moodle,
        recorded: extra ? {} : config.platform,
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
        else if (result.status === 'skip') unchecked.push({ what: `activity ${activity.cmid}: ${result.finding}` });
        else {
          const found = asFinding(result, 'moodle', `Moodle activity ${activity.cmid} "${result.title}": `);
          if (found) findings.push(found);
        }
      }
    }
    return { described, findings, passed, unchecked };
  },
};
