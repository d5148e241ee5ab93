import { chmodSync, existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** `in:out[:command]` as consul-template's -template takes it (the command may contain colons). */
export interface TemplateSpec {
  readonly source: string;
  readonly destination: string;
  readonly command: string;
}

export function parseTemplateSpec(raw: string): TemplateSpec {
  const [source, destination, ...rest] = raw.split(':');
  if (!source || !destination) throw new Error(`invalid template declaration format "${raw}": expected "in:out[:command]"`);
  return { source, destination, command: rest.join(':') };
}

/**
 * Writes `content` to `path` only when it differs: through a temporary file in the same
 * directory and a rename, so readers never see half a file, keeping an existing file's mode
 * (0644 for a new one, as consul-template). Returns whether the file changed.
 */
export function writeAtomically(path: string, content: string): boolean {
  if (existsSync(path) && readFileSync(path, 'utf8') === content) return false;
  const mode = existsSync(path) ? statSync(path).mode & 0o7777 : 0o644;
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  writeFileSync(tmp, content, { mode });
  chmodSync(tmp, mode);
  renameSync(tmp, path);
  return true;
}
