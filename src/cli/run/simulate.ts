import { resolve } from 'node:path';
import type { SimulateFlags } from './simulate-flags.js';
import { InsperaLtiError } from '../../errors.js';
import { simulationChecks } from '../../sim/results.js';
import type { SimulationResult } from '../../sim/simulate.js';
import { httpLog } from '../http-log.js';
import { createOutput } from '../output.js';
import { checkReportFlags, emitReport, reporterOf, reportMeta } from '../write-report.js';

export async function runSimulate(kind: 'launch' | 'grade', flags: SimulateFlags): Promise<number> {
  const json = flags.json === true || flags.reporter === 'json';
  const out = createOutput({ color: flags.color, json, yes: true, quiet: flags.quiet, verbose: flags.verbose });
  if (flags.listScenarios) {
    const { scenarioListJson, scenarioListLines } = await import('../../report/scenario-list.js');
    if (out.json) out.emitJson(scenarioListJson());
    else {
      const { rows, note } = scenarioListLines(out.style);
      for (const row of rows) out.print(row);
      out.log(note);
    }
    return 0;
  }
  if (flags.verbose && (flags.count !== undefined || flags.rate !== undefined))
    throw new InsperaLtiError(
      'USAGE',
      '--verbose logs each request of one run; load mode makes thousands',
      'drop --verbose, or run one launch with it first',
    );
  checkReportFlags(flags);
  if (flags.report !== undefined && !/\.html?$/i.test(flags.report)) {
    throw new InsperaLtiError(
      'USAGE',
      `--report ${flags.report}: the simulation report is HTML`,
      'give a file ending in .html (JSON and JUnit go to --reporter with --output)',
    );
  }
  if (flags.expect !== undefined && flags.scenario === undefined)
    throw new InsperaLtiError(
      'MISSING_FLAG',
      `--expect ${flags.expect} needs --scenario: only a failure scenario has an outcome to expect`,
      'add --scenario <name> (--list-scenarios lists them), or drop --expect',
    );
  if (flags.expect !== undefined && flags.count !== undefined)
    throw new InsperaLtiError(
      'USAGE',
      `--expect ${flags.expect} judges one run; load mode (--count) makes many`,
      'drop --expect, or --count',
    );
  if (flags.report !== undefined && flags.count !== undefined)
    throw new InsperaLtiError(
      'USAGE',
      '--report draws one launch; load mode (--count) has none to draw',
      'drop --report, or --count',
    );
  const { buildRequest } = await import('./simulate-request.js');
  const { request, notes } = await buildRequest(kind, flags);
  // Where the embedded tool answers matters only if Moodle's activity launches into it: said up front before a load
  // run, after a single run only when its launch failed (a launch that went through found its tool).
  const warnNotes = () => {
    for (const note of notes) out.warn(note);
  };
  if (flags.rate !== undefined || flags.count !== undefined) warnNotes();
  if (flags.rate !== undefined || flags.duration !== undefined || flags.count !== undefined) {
    const { runLoadMode } = await import('./simulate-load.js');
    return runLoadMode(request, flags, out);
  }
  const { simulate } = await import('../../sim/simulate.js');
  const started = Date.now();
  const trace = httpLog(out);
  const result: SimulationResult = await simulate(trace ? { ...request, trace } : request);
  const seconds = (Date.now() - started) / 1000;
  if (!result.launch.ok) warnNotes();
  const checks = simulationChecks(result);
  if (flags.har) {
    const { toHar } = await import('../../sim/har.js');
    const { writeFileAtomic } = await import('../../util/atomic-write.js');
    // Like a browser's own capture it holds the session cookies and the signed id_token: for its owner's eyes only.
    await writeFileAtomic(resolve(flags.har), JSON.stringify(toHar(result.launch.steps), null, 2) + '\n', {
      force: true,
      mode: 0o600,
    });
    out.log(`capture written to ${flags.har} (mode 600: it holds the run's cookies and id_token)`);
  }
  const { expectedReport, simulationReport } = await import('../../report/simulation.js');
  // With --expect reproduced the verdict follows the expectation (JUnit too).
  const simulated = simulationReport(kind, result, checks, seconds);
  const report = flags.expect === 'reproduced' ? expectedReport(simulated, result, checks) : simulated;
  if (flags.report) {
    const [{ REPORTERS }, { writeFileAtomic }] = await Promise.all([
      import('../../report/reporters.js'),
      import('../../util/atomic-write.js'),
    ]);
    await writeFileAtomic(
      resolve(flags.report),
      await REPORTERS.html.render(report, { style: out.style, meta: reportMeta() }),
      { force: true },
    );
    out.log(`HTML report written to ${flags.report}`);
  }
  await emitReport(out, report, reporterOf(flags), flags.output);
  if (flags.expect === 'reproduced') {
    const reproduced = result.scenario?.reproduced === true;
    out.log(
      `--expect reproduced: ${
        reproduced
          ? 'it was (exit 0)'
          : result.scenario?.doesNotApply
            ? `it does not apply to this Moodle release (exit 1)`
            : 'it was not (exit 1)'
      }`,
    );
    return reproduced ? 0 : 1;
  }
  return result.ok ? 0 : 1;
}
