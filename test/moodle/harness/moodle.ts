/**
 * A real Moodle on loopback for the real-Moodle suite: its own PostgreSQL cluster and PHP's built-in server, both in
 * one temp folder, both stopped by PID. Nothing is written outside that folder (or the opt-in install cache).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { chmod, cp, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { freePort, HarnessError } from '../../helpers/harness.js';
import {
  createDatabase,
  initCluster,
  killClusterNow,
  PG_BIN,
  startCluster,
  stopCluster,
} from '../../helpers/postgres.js';

const run = promisify(execFile);
/** Bump when the install or its config changes, so a cached install is not reused. */
export const HARNESS_VERSION = '1';
export const SITE_SCRIPT = fileURLToPath(new URL('./site.php', import.meta.url));
export const PACKAGES =
  'php8.2-cli php8.2-pgsql php8.2-curl php8.2-xml php8.2-mbstring ' +
  'php8.2-zip php8.2-gd php8.2-intl php8.2-soap php8.2-opcache ' +
  'php8.2-readline postgresql-15';
export const ADMIN_PASSWORD = 'Harness-admin-1!';

export interface MoodleSite {
  root: string;
  wwwroot: string;
  codeDir: string;
  configPath: string;
  release: string;
  /** The php -d settings every script of this Moodle runs with (a PHP 8.3 polyfill for 5.2 on PHP 8.2). */
  phpIni: string[];
  php(args: string[], env?: NodeJS.ProcessEnv): Promise<string>;
  site<T = any>(command: string, input: unknown): Promise<T>;
  stop(): Promise<void>;
}

async function which(command: string): Promise<boolean> {
  try {
    await run('sh', ['-c', `command -v ${command}`]);
    return true;
  } catch {
    return false;
  }
}

/** What the suite needs before it can start; one line each. */
export async function checkPrerequisites(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const source = env.MOODLE_SRC;
  if (!source) {
    throw new HarnessError(
      'MOODLE_SRC is not set: point it at a Moodle source folder or a .tar.xz/.tar.gz of one ' +
        '(e.g. MOODLE_SRC=../shared/moodle/moodle-4.5.6.tar.xz, or a release from https://download.moodle.org)',
    );
  }
  const path = resolve(source);
  if (!existsSync(path)) throw new HarnessError(`MOODLE_SRC=${source}: no such file or folder`);
  const missing = [];
  if (!(await which('php'))) missing.push('php');
  if (!existsSync(join(PG_BIN, 'initdb'))) missing.push('PostgreSQL 15');
  if (missing.length)
    throw new HarnessError(`${missing.join(' and ')} missing: install them with apt-get install ${PACKAGES}`);
  return path;
}

async function sourceKey(path: string): Promise<string> {
  const hash = createHash('sha256').update(`harness ${HARNESS_VERSION}\n`);
  if ((await stat(path)).isDirectory()) {
    const version = [join(path, 'version.php'), join(path, 'public', 'version.php')].find((f) => existsSync(f));
    hash.update(path).update(version ? await readFile(version) : '');
  } else {
    await new Promise<void>((done, fail) =>
      createReadStream(path)
        .on('data', (c) => hash.update(c))
        .on('end', done)
        .on('error', fail),
    );
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * Where an unpacked source keeps what: its root holds config.php and admin/cli; the web root is the root itself up to
 * Moodle 5.0 and `public/` from 5.1 on (with version.php and lib/setup.php, and a public/config.php that loads
 * ../config.php).
 */
export async function codeFolders(dir: string): Promise<{ root: string; webRoot: string }> {
  const { stdout } = await run('find', [dir, '-maxdepth', '4', '-path', '*/admin/cli/install.php']);
  const root = stdout
    .split('\n')
    .filter(Boolean)
    .map((p) => p.replace(/\/admin\/cli\/install\.php$/, ''))
    .sort((a, b) => a.length - b.length)[0];
  const webRoot = root && existsSync(join(root, 'public', 'version.php')) ? join(root, 'public') : root;
  if (
    !root ||
    !webRoot ||
    !existsSync(join(webRoot, 'version.php')) ||
    !existsSync(join(webRoot, 'lib', 'setup.php'))
  ) {
    throw new HarnessError(`no Moodle source (admin/cli/install.php, version.php and lib/setup.php) in ${dir}`);
  }
  return { root, webRoot };
}

/**
 * Moodle 5.2 asks for PHP 8.3 and PostgreSQL 16; Debian 12 has 8.2 and 15. In the unpacked copy only, the two
 * minimums are relaxed (../shared/moodle/README.md): nothing of LTI, sessions or cookies is touched. Returns whether
 * PHP 8.3's json_validate() must be provided (config.php does, before lib/setup.php).
 */
async function relaxFor(webRoot: string, phpVersion: string): Promise<boolean> {
  const minimum = join(webRoot, 'lib', 'phpminimumversionlib.php');
  const text = existsSync(minimum) ? await readFile(minimum, 'utf8') : '';
  const wanted = /\$minimumversion = '(\d+\.\d+)\.\d+';/.exec(text)?.[1];
  if (!wanted || compareVersions(phpVersion, wanted) >= 0) return false;
  await writeFile(minimum, text.replace(/\$minimumversion = '[\d.]+';/, `$minimumversion = '${phpVersion}.0';`));
  const environment = join(webRoot, 'admin', 'environment.xml');
  const xml = await readFile(environment, 'utf8');
  const branch = /\$branch\s*=\s*'(\d)(\d+)'/.exec(await readFile(join(webRoot, 'version.php'), 'utf8'));
  const open = branch ? xml.indexOf(`<MOODLE version="${branch[1]}.${Number(branch[2])}"`) : -1;
  if (open >= 0) {
    const close = xml.indexOf('</MOODLE>', open);
    const block = xml
      .slice(open, close)
      .replace(/<PHP version="[\d.]+" level="required">/, `<PHP version="${phpVersion}.0" level="required">`)
      .replace(/<VENDOR name="postgres" version="\d+" \/>/, '<VENDOR name="postgres" version="15" />');
    await writeFile(environment, xml.slice(0, open) + block + xml.slice(close));
  }
  return compareVersions(phpVersion, '8.3') < 0;
}

function compareVersions(a: string, b: string): number {
  const [a1 = 0, a2 = 0] = a.split('.').map(Number);
  const [b1 = 0, b2 = 0] = b.split('.').map(Number);
  return a1 - b1 || a2 - b2;
}

/** PHP 8.3's json_validate(), which Moodle 5.2 uses, for PHP 8.2: loaded before every script (install, CLI, web). */
const JSON_VALIDATE =
  "<?php if (!function_exists('json_validate')) { function json_validate(string $j, int $d = 512, int $f = 0): bool " +
  '{ json_decode($j, null, $d, $f); return json_last_error() === JSON_ERROR_NONE; } }\n';

function configPhp(o: { wwwroot: string; dataroot: string; dbport: number; extra: string; setup: string }): string {
  return `<?php
unset($CFG);
global $CFG;
$CFG = new stdClass();
$CFG->dbtype    = 'pgsql';
$CFG->dblibrary = 'native';
$CFG->dbhost    = '127.0.0.1';
$CFG->dbname    = 'moodle';
$CFG->dbuser    = 'moodle';
$CFG->dbpass    = 'moodle';
$CFG->prefix    = 'mdl_';
$CFG->dboptions = ['dbport' => ${o.dbport}];
$CFG->wwwroot   = '${o.wwwroot}';
$CFG->dataroot  = '${o.dataroot}';
$CFG->admin     = 'admin';
$CFG->directorypermissions = 0777;
$CFG->noemailever = true;
// The suite's own settings (the tool on loopback needs outgoing HTTP to 127.0.0.1); tests may change this file.
if (file_exists(${JSON.stringify(o.extra)})) require ${JSON.stringify(o.extra)};
require_once(__DIR__ . '/${o.setup}');
`;
}

export interface StartOptions {
  source: string;
  /** Keep the installed site here, keyed by the source's hash and the harness version (opt-in: MOODLE_CACHE). */
  cacheDir?: string;
  log?: (line: string) => void;
}

/** Unpack, install (or restore from the cache), and serve a real Moodle; resolves once it answers. */
export async function startMoodle(options: StartOptions): Promise<MoodleSite> {
  const log = options.log ?? (() => {});
  const root = await mkdtemp(join(tmpdir(), 'inspera-lti-moodle-'));
  await chmod(root, 0o755);
  const processes: ChildProcess[] = [];
  const pgData = join(root, 'pgdata');
  let pgStarted = false;
  // Should the run die without its teardown, leave nothing running.
  const onExit = () => {
    for (const child of processes)
      if (child.exitCode === null && child.pid)
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          /* gone */
        }
    if (pgStarted) killClusterNow(pgData);
  };
  process.once('exit', onExit);
  const stop = async () => {
    process.off('exit', onExit);
    for (const child of processes) {
      if (child.exitCode === null && child.pid) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
    }
    if (pgStarted) await stopCluster(pgData, 'immediate');
    await rm(root, { recursive: true, force: true });
  };
  try {
    const key = await sourceKey(options.source);
    const cached = options.cacheDir ? join(resolve(options.cacheDir), key) : undefined;
    const hit = cached !== undefined && existsSync(join(cached, 'done'));
    const dataroot = join(root, 'moodledata');
    const [dbport, webport] = [await freePort(), await freePort()];
    const wwwroot = `http://127.0.0.1:${webport}`;

    // The code.
    const unpack = join(root, 'src');
    await mkdir(unpack);
    const isDir = (await stat(options.source)).isDirectory();
    if (isDir) await cp(options.source, unpack, { recursive: true });
    else await run('tar', ['-xf', options.source, '-C', unpack], { maxBuffer: 64 * 1024 * 1024 });
    const { root: codeDir, webRoot } = await codeFolders(unpack);
    const phpVersion = (await run('php', ['-r', 'echo PHP_MAJOR_VERSION . "." . PHP_MINOR_VERSION;'])).stdout.trim();
    const polyfill = join(root, 'php83-polyfill.php');
    const phpIni = ['-d', 'max_input_vars=5000'];
    if (await relaxFor(webRoot, phpVersion)) {
      await writeFile(polyfill, JSON_VALIDATE);
      phpIni.push('-d', `auto_prepend_file=${polyfill}`);
    }
    const extra = join(root, 'config-extra.php');
    const configPath = join(codeDir, 'config.php');

    // The database: restored from the cache, or a new cluster.
    if (hit) {
      log(`restoring the cached install ${key}`);
      // cp -a keeps the postgres user's ownership and the modes PostgreSQL insists on.
      await run('cp', ['-a', join(cached!, 'pgdata'), pgData]);
      await run('cp', ['-a', join(cached!, 'moodledata'), dataroot]);
    } else {
      await initCluster(pgData, 'moodle');
      await mkdir(dataroot, { recursive: true });
    }
    await chmod(dataroot, 0o777);
    await startCluster(pgData, dbport);
    pgStarted = true;
    const php = async (phpArgs: string[], env: NodeJS.ProcessEnv = {}) =>
      (
        await run('php', [...phpIni, ...phpArgs], {
          cwd: codeDir,
          env: { ...process.env, MOODLE_CONFIG: configPath, ...env },
          maxBuffer: 16 * 1024 * 1024,
        })
      ).stdout;

    if (!hit) {
      await createDatabase(dbport, 'moodle', 'moodle');
      log('installing Moodle (about 2 minutes on 2 cores)');
      const started = Date.now();
      await php([
        'admin/cli/install.php',
        '--non-interactive',
        '--agree-license',
        '--lang=en',
        `--wwwroot=${wwwroot}`,
        `--dataroot=${dataroot}`,
        '--dbtype=pgsql',
        '--dbhost=127.0.0.1',
        `--dbport=${dbport}`,
        '--dbname=moodle',
        '--dbuser=moodle',
        '--dbpass=moodle',
        '--fullname=inspera-lti test Moodle',
        '--shortname=test',
        '--adminuser=admin',
        `--adminpass=${ADMIN_PASSWORD}`,
        '--adminemail=admin@example.edu',
      ]);
      log(`installed in ${Math.round((Date.now() - started) / 1000)} s`);
    }
    await writeFile(
      configPath,
      configPhp({
        wwwroot,
        dataroot,
        dbport,
        extra,
        setup: relative(codeDir, join(webRoot, 'lib', 'setup.php')),
      }),
    );
    await writeFile(extra, `<?php\n$CFG->curlsecurityblockedhosts = '';\n$CFG->curlsecurityallowedport = '';\n`);
    if (cached && !hit) {
      await stopCluster(pgData, 'fast');
      await rm(cached, { recursive: true, force: true });
      await mkdir(cached, { recursive: true });
      await run('cp', ['-a', pgData, join(cached, 'pgdata')]);
      await run('cp', ['-a', dataroot, join(cached, 'moodledata')]);
      await writeFile(join(cached, 'done'), new Date().toISOString());
      await startCluster(pgData, dbport);
    }
    if (hit) await php(['admin/cli/purge_caches.php']);

    // opcache re-reads a changed file at once (tests change config-extra.php), not up to 2 s later.
    const server = spawn(
      'php',
      [...phpIni, '-d', 'opcache.revalidate_freq=0', '-S', `127.0.0.1:${webport}`, '-t', webRoot],
      {
        cwd: codeDir,
        detached: true,
        stdio: ['ignore', 'ignore', 'ignore'],
        env: { ...process.env, PHP_CLI_SERVER_WORKERS: '4' },
      },
    );
    processes.push(server);
    await waitFor(`${wwwroot}/mod/lti/certs.php`, 30_000);
    const release = (
      await php(['-r', `define('CLI_SCRIPT', true); require getenv('MOODLE_CONFIG'); echo $CFG->release;`])
    ).trim();
    return {
      root,
      wwwroot,
      codeDir,
      configPath,
      release,
      phpIni,
      php,
      site: async (command, input) => JSON.parse(await php([SITE_SCRIPT, command, JSON.stringify(input)])),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function waitFor(url: string, ms: number): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      const response = await fetch(url);
      if (response.status === 200) return;
    } catch {
      // not up yet
    }
    if (Date.now() > until) throw new HarnessError(`Moodle did not answer at ${url} within ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
