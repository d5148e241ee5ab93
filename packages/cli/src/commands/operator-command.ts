import { commandGroup } from './support/command-group.js';
import { operatorRaftListPeersCommand } from './operator-raft-list-peers-command.js';
import { operatorRaftRemovePeerCommand } from './operator-raft-remove-peer-command.js';
import { operatorRaftTransferLeaderCommand } from './operator-raft-transfer-leader-command.js';

const raft = commandGroup('raft', 'Provides cluster-level tools for Raft', 'operator raft', [
  operatorRaftListPeersCommand,
  operatorRaftRemovePeerCommand,
  operatorRaftTransferLeaderCommand,
]);

export const operatorCommand = commandGroup('operator', 'Provides cluster-level tools for operators', 'operator', [raft]);
