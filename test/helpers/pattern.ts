/** One regular expression from pieces written one after another (a long expected message, kept within 120 columns). */
export function pattern(...pieces: Array<RegExp | string>): RegExp {
  const flags = typeof pieces.at(-1) === 'string' ? (pieces.pop() as string) : '';
  return new RegExp((pieces as RegExp[]).map((p) => p.source).join(''), flags);
}
