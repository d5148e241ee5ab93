import { expect } from 'chai';
import type { Command } from '@proconsul/kernel';
import type { StateReaders } from '@proconsul/state';
import { isGlobalAclWrite } from './acl-authority.js';

/** Only the ACL reader is consulted: a token delete asks whether the stored token is local. */
const state = (tokens: Record<string, { Local: boolean }>) =>
  ({ acl: { token: (id: string) => ({ index: 1, value: tokens[id] ?? null }) } }) as unknown as StateReaders;

describe('isGlobalAclWrite: which writes only the primary datacenter may make', () => {
  const s = state({ g: { Local: false }, l: { Local: true } });
  const token = (Local: boolean) => ({ v: 1, type: 'acl-token-set', Token: { AccessorID: 'x', Local } }) as unknown as Command;

  it('policies and roles are global; tokens are unless local', () => {
    expect(isGlobalAclWrite({ v: 1, type: 'acl-policy-delete', ID: 'p' } as Command, s)).to.equal(true);
    expect(isGlobalAclWrite({ v: 1, type: 'acl-role-delete', ID: 'r' } as Command, s)).to.equal(true);
    expect(isGlobalAclWrite(token(false), s)).to.equal(true);
    expect(isGlobalAclWrite(token(true), s)).to.equal(false);
  });

  it('a token delete follows the stored token; an unknown one and other writes stay local', () => {
    expect(isGlobalAclWrite({ v: 1, type: 'acl-token-delete', AccessorID: 'g' } as Command, s)).to.equal(true);
    expect(isGlobalAclWrite({ v: 1, type: 'acl-token-delete', AccessorID: 'l' } as Command, s)).to.equal(false);
    expect(isGlobalAclWrite({ v: 1, type: 'acl-token-delete', AccessorID: 'nope' } as Command, s)).to.equal(false);
    expect(isGlobalAclWrite({ v: 1, type: 'kv-delete', Key: 'a' } as unknown as Command, s)).to.equal(false);
  });
});
