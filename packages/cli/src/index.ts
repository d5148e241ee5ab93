export { runCli, COMMANDS, type CommandEntry } from './cli.js';
