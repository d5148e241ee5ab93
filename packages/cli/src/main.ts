#!/usr/bin/env node
import { applyClientProfile, CLIENT_PROFILE_ENV } from './client-v8-profile.js';
import { isCertainlyClient } from './client-role-prescan.js';

// `proconsul agent` gets a client's V8 settings before the rest loads (a module graph is parsed
// and compiled before its first module runs, so the rest is imported only after this line).
// All of them when the flags and config files certainly make a client: loading and reading the
// config is what compiles most. Otherwise only the young-generation hold, which a server can be
// given back safely; the agent command decides the rest once the config is read.
if (process.argv[2] === 'agent' && process.env[CLIENT_PROFILE_ENV] !== '0') {
  applyClientProfile(isCertainlyClient(process.argv.slice(3)) ? 'certain-client' : 'before-role');
}
const [{ processIo }, { runCli }] = await Promise.all([import('./command.js'), import('./cli.js')]);

/** How long the process may linger after its command finished before it is ended. */
const EXIT_GRACE_MS = 1000;

const code = await runCli(process.argv.slice(2), processIo);
process.exitCode = code;
// The command is done: a handle something forgot to close (a timer, a socket of a plugin
// that failed to start) must not keep the process — and the ports it holds — alive.
// Output is already written: stdout and stderr are synchronous for files, and for pipes on Linux.
setTimeout(() => process.exit(code), EXIT_GRACE_MS).unref();
