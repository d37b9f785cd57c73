import { InsperaLtiError } from '../errors.js';
import { writeFileAtomic, type WriteResult } from '../util/atomic-write.js';

/** One value to set (or, with `undefined`, to remove) at a path of the config file. */
export interface ConfigChange {
  path: string[];
  value: unknown;
}

/**
 * Change an existing config file in place, through the yaml library's Document API: only the given values change;
 * every other value, the order and the comments stay as they were. The file is replaced only if it still holds what
 * was read (`existing`), so a concurrent writer is never overwritten unnoticed. Without an existing file, `fresh`
 * is written. With `forceFlag`, a change to an existing file is refused (naming that flag) instead of made.
 */
export async function updateConfigFile(
  path: string,
  existing: string | undefined,
  changes: ConfigChange[],
  fresh: () => Promise<string>,
  options: { mode?: number; forceFlag?: string } = {},
): Promise<WriteResult> {
  if (existing === undefined)
    return writeFileAtomic(path, await fresh(), { ...(options.mode !== undefined ? { mode: options.mode } : {}) });
  const { parseDocument, isMap } = await import('yaml');
  const doc = parseDocument(existing);
  if (doc.errors.length || (doc.contents !== null && !isMap(doc.contents))) {
    throw new InsperaLtiError(
      'INVALID_CONFIG',
      `${path} cannot be updated in place: it is not a YAML mapping`,
      'fix the file (or move it away) and run the command again',
    );
  }
  for (const change of changes) {
    if (change.value === undefined) doc.deleteIn(change.path);
    else doc.setIn(change.path, doc.createNode(change.value));
  }
  const content = doc.toString({ lineWidth: 0 });
  // A change to the file needs the caller's consent (its --force), given or not needed.
  if (options.forceFlag && content !== existing) {
    throw new InsperaLtiError(
      'FILE_EXISTS',
      `${path} already exists with different content`,
      `nothing was written; use ${options.forceFlag} ` +
        `to change it — only what this command sets changes, ` +
        `the rest (recorded values, comments) is kept, ` +
        `and a .bak copy is made`,
    );
  }
  return writeFileAtomic(path, content, {
    expected: existing,
    forceFlag: 'the command again (the file changed meanwhile)',
    ...(options.mode !== undefined ? { mode: options.mode } : {}),
  });
}

/** Whether a file's YAML keeps the six values under Moodle's labels (an export) rather than `platform`. */
export async function usesDetailsSection(text: string | undefined, section: string): Promise<boolean> {
  if (text === undefined) return false;
  const { parseDocument } = await import('yaml');
  return parseDocument(text).has(section);
}
