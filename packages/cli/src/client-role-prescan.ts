import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Whether `proconsul agent ARGS` is certainly a client, decided before any of the agent's code
 * loads (main.ts's first line), so that a client gets all of its V8 settings from the start
 * while a server never gets the compiler ones (client-v8-profile.ts: given early and taken
 * back, they left a server slow for good). Errs towards "not certain": any doubt, and the
 * agent command decides once the config is read, as it always did.
 *
 * The role comes only from `-dev`, `-server` and the `server` key of the files `-config-file`
 * and `-config-dir` name (@proconsul/config reads no environment variable and no default
 * file). This does not parse: any token spelled like the dev or server flag, and any config
 * text where the word `server` could be a key, means "not certain". Importing the config
 * package here would load what the settings are meant to apply to.
 */
export function isCertainlyClient(args: readonly string[]): boolean {
  const files: string[] = [];
  const dirs: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    // Every token, values included: `-node -server` is odd, but then we are not certain.
    if (ROLE_FLAG.test(arg)) return false;
    const m = CONFIG_FLAG.exec(arg);
    if (!m) continue;
    // A path that is itself a flag is read and fails below, or is checked as a token: no harm.
    const value = m[2] ?? args[i + 1];
    if (value === undefined) return false;
    (m[1] === 'config-file' ? files : dirs).push(value);
  }
  if (files.length === 0 && dirs.length === 0) return true;
  try {
    const budget = { bytes: MAX_BYTES, files: MAX_FILES };
    for (const f of files) if (!fileIsClientOnly(f, budget)) return false;
    for (const d of dirs) {
      // The config loader reads a directory's regular files (by extension, or all with
      // -config-format); all of them are read here, whatever their names.
      for (const name of readdirSync(d)) {
        const path = join(d, name);
        // Only regular files are config (a FIFO would block the read).
        if (!statSync(path).isFile()) continue;
        if (!fileIsClientOnly(path, budget)) return false;
      }
    }
    return true;
  } catch {
    // Missing or unreadable: the loader will say so; until then the role is unknown.
    return false;
  }
}

/** `-dev`, `--server`, `-server=false`, any case: the role is in the flags, decided later. */
const ROLE_FLAG = /^--?(dev|server)(=|$)/i;
const CONFIG_FLAG = /^--?(config-file|config-dir)(?:=(.*))?$/;

/** More text than a config has: not worth reading before the agent starts. */
const MAX_BYTES = 1 << 20;
const MAX_FILES = 64;

/**
 * The word `server`, not part of a longer name (`server_name`, `consul-server`, `ports.server`
 * stay whole names), followed by what can follow a key in JSON or HCL: `:`, `=`, a block's
 * `{`, a label's `"`, or a comment. Any quoted `"server"` matches too (its closing quote),
 * so `retry_join = ["server"]` is "not certain": erring that way is fine. Escapes
 * (`\u0073erver`) could spell it too.
 */
const SERVER_KEY = /(^|[^\w.-])"?server"?\s*[:={"/#]/im;
const ESCAPE = /\\u/i;

function fileIsClientOnly(path: string, budget: { bytes: number; files: number }): boolean {
  if (--budget.files < 0) return false;
  const st = statSync(path);
  if (!st.isFile()) return false;
  budget.bytes -= st.size;
  if (budget.bytes < 0) return false;
  const text = readFileSync(path, 'utf8');
  return !SERVER_KEY.test(text) && !ESCAPE.test(text);
}
