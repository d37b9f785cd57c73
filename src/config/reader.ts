import { InsperaLtiError } from '../errors.js';
import { closest } from '../util/suggest.js';

/** Small typed accessors for untrusted config data that name the exact path of whatever is wrong. */
export class ConfigReader {
  constructor(readonly source: string) {}

  fail(path: string, why: string, hint = 'fix the value in the config file, or run `inspera-lti init` to write a new one'): never {
    throw new InsperaLtiError('INVALID_CONFIG', `${this.source}: ${path} ${why}`, hint);
  }

  object(value: unknown, path: string, allowedKeys: readonly string[]): Record<string, unknown> {
    if (value === undefined || value === null) return {};
    if (typeof value !== 'object' || Array.isArray(value)) this.fail(path, `must be a mapping of keys to values, found ${describe(value)}`);
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (!allowedKeys.includes(key)) {
        const guess = closest(key, allowedKeys);
        this.fail(path ? `${path}.${key}` : key, 'is not a known setting', guess ? `did you mean "${guess}"?` : `known here: ${allowedKeys.join(', ')}`);
      }
    }
    return record;
  }

  string(value: unknown, path: string): string | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    if (typeof value !== 'string') this.fail(path, `must be text, found ${describe(value)}`);
    return value as string;
  }

  boolean(value: unknown, path: string, fallback: boolean): boolean {
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'boolean') this.fail(path, `must be true or false, found ${describe(value)}`);
    return value as boolean;
  }

  choice<T extends string>(value: unknown, path: string, choices: readonly T[], fallback: T): T {
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'string' || !choices.includes(value as T)) {
      const guess = typeof value === 'string' ? closest(value, choices) : undefined;
      this.fail(path, `is ${JSON.stringify(value)}; expected one of ${choices.join(', ')}`, guess ? `did you mean "${guess}"?` : undefined);
    }
    return value as T;
  }

  stringList(value: unknown, path: string): string[] | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') return [value];
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) this.fail(path, `must be a list of text values, found ${describe(value)}`);
    return value as string[];
  }
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'nothing';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}
