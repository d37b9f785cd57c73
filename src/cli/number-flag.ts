import { InsperaLtiError } from '../errors.js';

export interface NumberRange {
  min?: number;
  max?: number;
  integer?: boolean;
}

/** A numeric flag's value, checked: absent → the fallback; anything else outside the range is bad input. */
export function numberFlag(
  value: string | undefined,
  flag: string,
  fallback: number,
  { min = 0, max = Infinity, integer = false }: NumberRange = {},
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  // Plain decimals only: Number() would also take 0x3, 1e3 or " 5 ", which nobody means in a flag.
  if (
    !/^-?\d+(\.\d+)?$/.test(value) ||
    !Number.isFinite(n) ||
    n < min ||
    n > max ||
    (integer && !Number.isInteger(n))
  ) {
    const range = Number.isFinite(max) ? `between ${min} and ${max}` : `of at least ${min}`;
    throw new InsperaLtiError(
      'INVALID_VALUE',
      `${flag} ${JSON.stringify(value)} is not ${integer ? 'a whole number' : 'a number'} ${range}`,
      `e.g. ${flag} ${fallback}`,
    );
  }
  return n;
}

export const PORT: NumberRange = { min: 0, max: 65535, integer: true };
