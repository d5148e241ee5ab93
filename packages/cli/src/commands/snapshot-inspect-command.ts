import { isCoded } from '@proconsul/kernel';
import { errorText } from '../http-client.js';
import { defineCommand } from './support/define-command.js';
import { fileErrorText, verifySnapshotFile } from './snapshot-file.js';

/** Table names as `inspect` prints them, in Consul's spirit (its message types). */
const TABLE_LABELS: Readonly<Record<string, string>> = {
  nodes: 'Register (nodes)',
  services: 'Register (services)',
  checks: 'Register (checks)',
  kv: 'KVS',
  tombstones: 'Tombstone',
  sessions: 'Session',
  'acl-tokens': 'ACLToken',
  'acl-policies': 'ACLPolicy',
  'acl-roles': 'ACLRole',
  coordinates: 'CoordinateBatchUpdate',
  system: 'SystemMetadata',
  'prepared-queries': 'PreparedQuery',
};

export const snapshotInspectCommand = defineCommand({
  name: 'inspect',
  synopsis: 'Displays information about a Consul snapshot file',
  usage: 'snapshot inspect FILE',
  description:
    'Reads a snapshot file without contacting an agent, verifies its checksum and prints its metadata\n' +
    '(ID, size, index, term, version) and the number of rows of each table.',
  http: 'none',
  flags: [],
  async run({ args, io }) {
    if (args.length !== 1) {
      io.err('This command takes one argument: <file>');
      return 1;
    }
    const file = args[0]!;
    let v;
    try {
      v = await verifySnapshotFile(file);
    } catch (e) {
      io.err(`Error verifying snapshot: ${isCoded(e) ? errorText(e) : fileErrorText(e)}`);
      return 1;
    }
    const rows: [string, string][] = [
      ['ID', v.header.id],
      ['Size', String(v.size)],
      ['Index', String(v.header.index)],
      ['Term', String(v.header.term)],
      ['Version', String(v.header.version)],
      ['Datacenter', v.header.datacenter],
      ['Created', v.header.createdAt],
      ['Checksum', 'SHA-256 verified'],
    ];
    const lines = rows.map(([k, val]) => ` ${k.padEnd(12)} ${val}`);
    lines.push('', ` ${'Type'.padEnd(24)} ${'Count'.padStart(10)}`, ` ${'----'.padEnd(24)} ${'-----'.padStart(10)}`);
    let total = 0;
    for (const [table, n] of Object.entries(v.trailer.counts)) {
      total += n;
      lines.push(` ${(TABLE_LABELS[table] ?? table).padEnd(24)} ${String(n).padStart(10)}`);
    }
    lines.push(` ${'----'.padEnd(24)} ${'-----'.padStart(10)}`, ` ${'Total'.padEnd(24)} ${String(total).padStart(10)}`);
    io.out(lines.join('\n'));
    return 0;
  },
});
