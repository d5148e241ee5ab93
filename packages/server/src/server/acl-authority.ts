import type { Command } from '@proconsul/kernel';
import type { StateReaders } from '@proconsul/state';

/**
 * Whether `command` writes a global ACL object (a policy, a role, or a token that is not
 * local), which only the primary datacenter may change: secondaries hold replicas, and a
 * write applied in one would be undone by the next replication round. A delete is global
 * when the stored token is (an unknown one is left to the local FSM to report).
 */
export function isGlobalAclWrite(command: Command, state: StateReaders): boolean {
  switch (command.type) {
    case 'acl-policy-set':
    case 'acl-policy-delete':
    case 'acl-role-set':
    case 'acl-role-delete':
      return true;
    case 'acl-token-set':
      return !command.Token.Local;
    case 'acl-token-delete': {
      const stored = state.acl.token(command.AccessorID).value;
      return stored !== null && stored !== undefined && !stored.Local;
    }
    default:
      return false;
  }
}
