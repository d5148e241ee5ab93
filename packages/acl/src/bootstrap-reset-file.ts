import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** Consul's file name: an operator writes the reset index here to allow one more `/v1/acl/bootstrap`. */
export const BOOTSTRAP_RESET_FILE = 'acl-bootstrap-reset';

/**
 * The reset index in `<data_dir>/acl-bootstrap-reset`, or undefined when there is no data
 * dir, no file, or the content is not a whole number — as Consul, a bad file just means
 * "no reset requested" (the caller logs nothing secret: the index is not a credential).
 */
export function readBootstrapResetIndex(dataDir: string | undefined): number | undefined {
  if (!dataDir) return undefined;
  let text: string;
  try {
    text = readFileSync(join(dataDir, BOOTSTRAP_RESET_FILE), 'utf8').trim();
  } catch {
    return undefined;
  }
  return /^\d+$/.test(text) ? Number(text) : undefined;
}

/** After a bootstrap the file allowed: it is good for one reset only, as Consul removes it. */
export function removeBootstrapResetFile(dataDir: string | undefined): void {
  if (dataDir) rmSync(join(dataDir, BOOTSTRAP_RESET_FILE), { force: true });
}
