import { operatorAutopilotGetConfigCommand } from './operator-autopilot-get-config-command.js';
import { operatorAutopilotSetConfigCommand } from './operator-autopilot-set-config-command.js';
import { operatorAutopilotStateCommand } from './operator-autopilot-state-command.js';
import { commandGroup } from './support/command-group.js';
import { operatorRaftListPeersCommand } from './operator-raft-list-peers-command.js';
import { operatorRaftRemovePeerCommand } from './operator-raft-remove-peer-command.js';
import { operatorRaftTransferLeaderCommand } from './operator-raft-transfer-leader-command.js';

const raft = commandGroup('raft', 'Provides cluster-level tools for Raft', 'operator raft', [
  operatorRaftListPeersCommand,
  operatorRaftRemovePeerCommand,
  operatorRaftTransferLeaderCommand,
]);

const autopilot = commandGroup('autopilot', 'Provides tools for modifying Autopilot configuration', 'operator autopilot', [
  operatorAutopilotGetConfigCommand,
  operatorAutopilotSetConfigCommand,
  operatorAutopilotStateCommand,
]);

export const operatorCommand = commandGroup('operator', 'Provides cluster-level tools for operators', 'operator', [
  autopilot,
  raft,
]);
