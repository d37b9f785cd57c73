import { readFile, stat } from 'node:fs/promises';
import { InsperaLtiError } from '../errors.js';

const MAX_TEXT_BYTES = 1024 * 1024;

/** Read all of stdin, bounded. */
export async function readStdin(limit = MAX_TEXT_BYTES): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > limit)
      throw new InsperaLtiError(
        'FILE_UNREADABLE',
        `standard input is larger than ${limit} bytes`,
        'pipe only the text copied from Moodle',
      );
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Read a small text file given by the user ("-" = stdin), with a clear error for every way that can fail. */
export async function readTextInput(path: string, flag: string, limit = MAX_TEXT_BYTES): Promise<string> {
  if (path === '-') return readStdin(limit);
  try {
    const info = await stat(path);
    if (info.isDirectory())
      throw new InsperaLtiError('FILE_UNREADABLE', `${flag} ${path} is a directory`, 'give the path of a text file');
    // A pipe or a device (/dev/zero) would hang or never end: only regular files, or "-" for standard input.
    if (!info.isFile())
      throw new InsperaLtiError(
        'FILE_UNREADABLE',
        `${flag} ${path} is not a regular file (a pipe, a device or a socket)`,
        `give a file, or use ${flag} - to read standard input`,
      );
    if (info.size > limit)
      throw new InsperaLtiError(
        'FILE_UNREADABLE',
        `${flag} ${path} is ${info.size} bytes, more than the ${limit} allowed`,
        'give the text file copied from Moodle',
      );
    return await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof InsperaLtiError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new InsperaLtiError(
      'FILE_UNREADABLE',
      `${flag} ${path}: ${code === 'ENOENT' ? 'no such file' : `cannot read (${code ?? String(error)})`}`,
      'check the path',
    );
  }
}

/** A text flag's value: itself, or standard input for "-"; empty is refused with what to give instead. */
export async function textFlag(value: string | undefined, name: string, hint: string): Promise<string | undefined> {
  const text = value === '-' ? await readTextInput('-', name, 256 * 1024) : value;
  if (text !== undefined && text.trim() === '')
    throw new InsperaLtiError(
      'INVALID_VALUE',
      value === '-' ? `${name} -: standard input is empty` : `${name} is empty`,
      hint,
    );
  return text;
}
