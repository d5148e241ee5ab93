#!/usr/bin/env node
import { processIo } from './command.js';
import { runCli } from './cli.js';

process.exitCode = await runCli(process.argv.slice(2), processIo);
