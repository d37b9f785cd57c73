import { readKeyset } from '../read-keyset.js';
import { resolve } from 'node:path';
import { loadConfig } from '../../config/load.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { registrationFor } from '../../moodle/registration.js';
import { explicitConfigPath, portablePath } from '../config-path.js';
import { numberFlag } from '../number-flag.js';
import { createOutput } from '../output.js';
import { cliProber } from '../prober.js';
import { textFlag } from '../read-input.js';
import { refuseUnusableInputs, type DoctorFlags } from './doctor-flags.js';

export type { DoctorFlags } from './doctor-flags.js';
import { readToken } from '../read-token.js';
import { checkReportFlags, emitReport, reporterOf, reportMeta } from '../write-report.js';

export async function runDoctorCommand(flags: DoctorFlags, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const out = createOutput({
    color: flags.color,
    json: flags.json === true || (flags.reporter !== undefined && flags.reporter !== 'human'),
    yes: true,
    quiet: flags.quiet,
    verbose: flags.verbose,
  });
  checkReportFlags(flags);
  const timeoutMs = numberFlag(flags.timeout, '--timeout', 10_000, { min: 100, max: 600_000 });
  const maxHarBytes = numberFlag(flags.maxHarMb, '--max-har-mb', 25, { min: 1, max: 2048 }) * 1024 * 1024;
  const loaded = await loadConfig({ configPath: explicitConfigPath(flags.config, env) });
  refuseUnusableInputs(flags, loaded.filepath !== undefined);
  const errorText = await textFlag(flags.error, '--error', 'paste the message the user saw');
  const symptomText = await textFlag(flags.symptom, '--symptom', 'paste what the ticket says happens, in its words');
  const token = flags.token ? await readToken(flags.token) : undefined;
  const { readHar } = await import('../../doctor/har/read.js');
  const har = flags.har ? await readHar(flags.har, maxHarBytes) : undefined;
  // --allow-insecure: this run accepts http and local addresses (a test site) as a config with allowInsecure does.
  const config = flags.allowInsecure ? { ...loaded.config, allowInsecure: true } : loaded.config;

  // The keyset and the live checks run side by side: one --timeout bounds the whole run, not their sum.
  const keysetSource =
    flags.keyset ??
    (flags.live && config.platform.platformId ? registrationFor(config.platform)!.keysetUrl : undefined);
  const runLive = async () => {
    if (!flags.live) return undefined;
    const { validateConnection } = await import('../../checks/validate/connection.js');
    const prober = await cliProber(out, { env });
    out.progress(`running the live checks (each request at most ${timeoutMs / 1000} s)…`);
    try {
      return await validateConnection({ config, prober, timeoutMs });
    } finally {
      await prober.close();
    }
  };
  const readMoodle = async () => {
    if (!flags.moodle) return undefined;
    const { readMoodleTools } = await import('../moodle-tools.js');
    return readMoodleTools(out, flags, config);
  };
  const [keyset, live, moodle] = await Promise.all([
    keysetSource ? readKeyset(out, keysetSource, timeoutMs) : Promise.resolve(undefined),
    runLive(),
    readMoodle(),
  ]);
  const { runDoctor } = await import('../../doctor/doctor.js');
  const result = await runDoctor({
    config,
    ...(loaded.filepath ? { configSource: portablePath(loaded.filepath) } : {}),
    ...(token ? { token: { text: token, source: flags.token === '-' ? 'from standard input' : flags.token! } } : {}),
    ...(har ? { har: { entries: har, source: flags.har! } } : {}),
    ...(errorText !== undefined ? { error: errorText } : {}),
    ...(symptomText !== undefined ? { symptom: symptomText } : {}),
    ...(keyset ? { keyset: keyset.keyset, keysetLabel: keyset.label } : {}),
    ...(live ? { live: live.results, ...(live.reachedNothing ? { reachedNothing: true } : {}) } : {}),
    ...(moodle ? { moodle } : {}),
  });
  const { doctorReport } = await import('../../report/doctor.js');
  const report = doctorReport(result, har);
  if (flags.report) {
    // A ticket's report file: .html draws the launch, anything else is Markdown.
    const { REPORTERS } = await import('../../report/reporters.js');
    const form = /\.html?$/i.test(flags.report) ? REPORTERS.html : REPORTERS.markdown;
    await writeFileAtomic(resolve(flags.report), await form.render(report, { style: out.style, meta: reportMeta() }), {
      force: flags.force === true,
    });
    out.log(`redacted report written to ${flags.report}`);
  }
  await emitReport(out, report, reporterOf(flags), flags.output);
  return result.ok ? 0 : 1;
}
