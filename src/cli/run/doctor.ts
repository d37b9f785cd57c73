import { readKeyset } from '../read-keyset.js';
import { basename, isAbsolute, relative, resolve } from 'node:path';
import { loadConfig } from '../../config/load.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { InsperaLtiError } from '../../errors.js';
import { registrationFor } from '../../moodle/registration.js';
import type { ReporterName } from '../../report/reporters.js';
import { explicitConfigPath } from '../config-path.js';
import { numberFlag } from '../number-flag.js';
import { createOutput } from '../output.js';
import { cliProber } from '../prober.js';
import { readTextInput } from '../read-input.js';
import { readToken } from '../read-token.js';
import { checkReportFlags, emitReport, reporterOf, reportMeta } from '../write-report.js';

export interface DoctorFlags {
  token?: string;
  har?: string;
  error?: string;
  keyset?: string;
  live?: boolean;
  timeout?: string;
  report?: string;
  maxHarMb?: string;
  force?: boolean;
  json?: boolean;
  reporter?: ReporterName;
  output?: string;
  config?: string;
  color?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  moodle?: boolean;
  moodleUrl?: string;
  moodleUser?: string;
  passwordFile?: string;
  toolId?: string;
  cmid?: string;
  allowInsecure?: boolean;
}

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
  const moodleFlag = [
    flags.moodleUrl && '--moodle-url',
    flags.moodleUser && '--moodle-user',
    flags.toolId && '--tool-id',
    flags.passwordFile && '--password-file',
    flags.cmid && '--cmid',
  ].find(Boolean);
  if (moodleFlag && !flags.moodle)
    throw new InsperaLtiError(
      'USAGE',
      `${moodleFlag} is for reading the tool in Moodle`,
      'add --moodle (or drop the flag)',
    );
  if (!loaded.filepath && !flags.token && !flags.har && flags.error === undefined && !flags.live && !flags.moodle) {
    throw new InsperaLtiError(
      'MISSING_FLAG',
      'nothing to diagnose: no config here and no --token, --har or --error',
      'give what the ticket has, e.g. --har launch.har, --token id_token.txt or --error "the message"',
    );
  }
  if (flags.error === '-' && flags.token === '-') {
    throw new InsperaLtiError('USAGE', '--error - and --token - both read standard input', 'put one of them in a file');
  }
  const errorText = flags.error === '-' ? await readTextInput('-', '--error', 256 * 1024) : flags.error;
  if (errorText !== undefined && errorText.trim() === '') {
    throw new InsperaLtiError(
      'INVALID_VALUE',
      flags.error === '-' ? '--error -: standard input is empty' : '--error is empty',
      'paste the message the user saw',
    );
  }
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

/** A config's path as reports name it: relative to here when below it, else its file name (no home or user name). */
function portablePath(path: string): string {
  const below = relative(process.cwd(), path);
  return below && !below.startsWith('..') && !isAbsolute(below) ? below : basename(path);
}
