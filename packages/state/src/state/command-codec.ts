import { Packr } from 'msgpackr';
import { COMMAND_FIELDS, COMMAND_VERSION, ProconsulError, type Command, type CommandType } from '@proconsul/kernel';
import { CommandInvalid } from './state-errors.js';

// Records (shared structure tables) are off: every entry must decode on its own, on any
// server, from any point of the log. copyBuffers: a stored KV value must not pin the
// whole log entry it was decoded from.
const packr = new Packr({ useRecords: false, mapsAsObjects: true, variableMapSize: true, copyBuffers: true });

const KIND_CHECK = {
  s: (x: unknown) => typeof x === 'string',
  n: (x: unknown) => typeof x === 'number' && Number.isFinite(x),
  o: (x: unknown) => typeof x === 'object' && x !== null && !Array.isArray(x),
  a: (x: unknown) => Array.isArray(x),
} as const;

/**
 * Commands past this size get an exact-size buffer of their own. msgpackr hands out views
 * into its working buffer, which consecutive small commands share, but a big one gets a
 * fresh working buffer about four times its size: a 256 KiB value held 1 MiB for as long
 * as the raft log keeps the entry (measured: 700 MiB pinned by 2,000 PUTs of 256 KiB).
 */
const OWN_BUFFER_BYTES = 16 * 1024;

/** Encode a command for the raft log. The returned buffer is the caller's. */
export function encodeCommand(cmd: Command): Uint8Array {
  const packed = packr.pack(cmd);
  return packed.byteLength > OWN_BUFFER_BYTES ? new Uint8Array(packed) : packed;
}

/**
 * Decode a log entry. Never throws: a corrupt entry, an unknown version or type, or a
 * missing required field comes back as a STATE_COMMAND_INVALID error value.
 */
export function decodeCommand(bytes: Uint8Array): Command | ProconsulError {
  let raw: unknown;
  try {
    raw = packr.unpack(bytes);
  } catch (err) {
    return CommandInvalid(`not msgpack (${(err as Error).message})`);
  }
  return checkCommand(raw, true);
}

function checkCommand(raw: unknown, outer: boolean): Command | ProconsulError {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return CommandInvalid('not an object');
  const obj = raw as Record<string, unknown>;
  if (typeof obj.v !== 'number' || obj.v < 1 || obj.v > COMMAND_VERSION) {
    return CommandInvalid(`unsupported version ${String(obj.v)}`);
  }
  const type = obj.type;
  if (typeof type !== 'string' || !Object.hasOwn(COMMAND_FIELDS, type)) {
    return CommandInvalid(`unknown type ${JSON.stringify(type)}`);
  }
  for (const [field, kind] of Object.entries(COMMAND_FIELDS[type as CommandType])) {
    if (!KIND_CHECK[kind](obj[field])) return CommandInvalid(`${type}: field ${field} missing or of the wrong type`);
  }
  if (type === 'request') {
    if (!outer) return CommandInvalid('request: nested request');
    const inner = checkCommand(obj.Command, false);
    if (inner instanceof ProconsulError) return inner;
  }
  return obj as unknown as Command;
}
