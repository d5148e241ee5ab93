import type { Command } from './command.js';

/**
 * A command carrying the ID its forwarding agent gave the request, so that agent may send it
 * again when a failure leaves the outcome unknown (the leader died mid-call): the FSM applies
 * `Command` for the first entry with this ID only and answers every later one with the result
 * it remembered (see ../request-table.ts). Written by the leader, never accepted from a caller.
 * Result: the inner command's result.
 */
export interface RequestCommand {
  v: 1;
  type: 'request';
  ID: string;
  now: number;
  Command: Command;
}
