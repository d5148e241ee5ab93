#!/usr/bin/env node
import { applyClientProfile } from './client-v8-profile.js';

// `proconsul agent` starts with a client's young-generation hold (most agents are clients; the
// agent command gives a server V8's default back and a client the rest of its settings) before
// the rest loads: a module graph is parsed and compiled before its first module runs, so the
// rest is imported only after this line.
if (process.argv[2] === 'agent') applyClientProfile('before-role');
const [{ processIo }, { runCli }] = await Promise.all([import('./command.js'), import('./cli.js')]);

/** How long the process may linger after its command finished before it is ended. */
const EXIT_GRACE_MS = 1000;

const code = await runCli(process.argv.slice(2), processIo);
process.exitCode = code;
// The command is done: a handle something forgot to close (a timer, a socket of a plugin
// that failed to start) must not keep the process — and the ports it holds — alive.
// Output is already written: stdout and stderr are synchronous for files, and for pipes on Linux.
setTimeout(() => process.exit(code), EXIT_GRACE_MS).unref();
