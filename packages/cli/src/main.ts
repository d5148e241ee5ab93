#!/usr/bin/env node
// First: it has to run before the other modules load (see young-generation.ts).
import './agent-startup.js';
import { processIo } from './command.js';
import { runCli } from './cli.js';

/** How long the process may linger after its command finished before it is ended. */
const EXIT_GRACE_MS = 1000;

const code = await runCli(process.argv.slice(2), processIo);
process.exitCode = code;
// The command is done: a handle something forgot to close (a timer, a socket of a plugin
// that failed to start) must not keep the process — and the ports it holds — alive.
// Output is already written: stdout and stderr are synchronous for files, and for pipes on Linux.
setTimeout(() => process.exit(code), EXIT_GRACE_MS).unref();
