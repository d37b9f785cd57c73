import { InsperaLtiError } from '../errors.js';
import { closest } from '../util/suggest.js';

const DEFAULT_HINT = 'fix the value in the config file, or run `inspera-lti init` to write a new one';

/**
 * Small typed accessors for untrusted config data that name the exact path of whatever is wrong. Every mistake is
 * noted and reading goes on (with the default in its place), so `finish` reports all of them at once.
 */
export class ConfigReader {
  private readonly problems: Array<{ what: string; hint: string }> = [];

  constructor(readonly source: string) {}

  /** Note a mistake at a path and go on. */
  fail(path: string, why: string, hint = DEFAULT_HINT): void {
    this.problems.push({ what: `${path} ${why}`, hint });
  }

  /** Note an error another parser raised (a tenant host, custom parameters) and go on. */
  note(error: unknown): void {
    if (error instanceof InsperaLtiError)
      this.problems.push({ what: error.message.replace(`${this.source}: `, ''), hint: error.hint ?? DEFAULT_HINT });
    else throw error;
  }

  /** One error naming every mistake noted, if there was any. */
  finish(): void {
    if (this.problems.length === 0) return;
    if (this.problems.length === 1)
      throw new InsperaLtiError('INVALID_CONFIG', `${this.source}: ${this.problems[0]!.what}`, this.problems[0]!.hint);
    throw new InsperaLtiError(
      'INVALID_CONFIG',
      `${this.source} has ${this.problems.length} mistakes: ` +
        `${this.problems.map((p, i) => `(${i + 1}) ${p.what}`).join('; ')}`,
      [...new Set(this.problems.map((p) => p.hint))].join('; '),
    );
  }

  object(value: unknown, path: string, allowedKeys: readonly string[]): Record<string, unknown> {
    if (value === undefined || value === null) return {};
    if (typeof value !== 'object' || Array.isArray(value)) {
      this.fail(path, `must be a mapping of keys to values, found ${describe(value)}`);
      return {};
    }
    const record: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      if (allowedKeys.includes(key)) {
        record[key] = item;
        continue;
      }
      const guess = closest(key, allowedKeys);
      this.fail(
        path ? `${path}.${key}` : key,
        'is not a known setting',
        guess ? `did you mean "${guess}"?` : `known here: ${allowedKeys.join(', ')}`,
      );
    }
    return record;
  }

  string(value: unknown, path: string): string | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    if (typeof value !== 'string') {
      this.fail(path, `must be text, found ${describe(value)}`);
      return undefined;
    }
    return value;
  }

  boolean(value: unknown, path: string, fallback: boolean): boolean {
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'boolean') {
      this.fail(path, `must be true or false, found ${describe(value)}`);
      return fallback;
    }
    return value;
  }

  choice<T extends string>(value: unknown, path: string, choices: readonly T[], fallback: T): T {
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'string' || !choices.includes(value as T)) {
      const guess = typeof value === 'string' ? closest(value, choices) : undefined;
      this.fail(
        path,
        `is ${JSON.stringify(value)}; expected one of ${choices.join(', ')}`,
        guess ? `did you mean "${guess}"?` : undefined,
      );
      return fallback;
    }
    return value as T;
  }

  stringList(value: unknown, path: string): string[] | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') return [value];
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
      this.fail(path, `must be a list of text values, found ${describe(value)}`);
      return undefined;
    }
    return value as string[];
  }
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'nothing';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}
