import { expect } from 'chai';
import type { AclAccess, AclResource, Authorization } from '@proconsul/kernel';
import { redactToken } from './token-redaction.js';

function authz(grants: string[]): Authorization {
  return { accessorId: 'x', allowed: (r: AclResource, _s: string, a: AclAccess) => grants.includes(`${r}:${a}`) };
}

describe('redactToken', () => {
  const token = { AccessorID: 'acc', SecretID: 'the-secret', Description: '' };

  it('hides the secret from acl:read, shows it to acl:write', () => {
    expect(redactToken(token, authz(['acl:read'])).SecretID).to.equal('<hidden>');
    expect(redactToken(token, authz([])).SecretID).to.equal('<hidden>');
    expect(redactToken(token, authz(['acl:read', 'acl:write'])).SecretID).to.equal('the-secret');
  });
});
