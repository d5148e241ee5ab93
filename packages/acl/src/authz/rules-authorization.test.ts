import { expect } from 'chai';
import { parsePolicyRules } from '../rules/policy-rules.js';
import { identityRules, RulesAuthorization } from './rules-authorization.js';

describe('RulesAuthorization', () => {
  const rules = parsePolicyRules(`
    key_prefix "" { policy = "read" }
    key_prefix "app/" { policy = "write" }
    key "app/secret" { policy = "deny" }
    key_prefix "logs/" { policy = "list" }
    operator = "read"
  `);

  it('an exact rule beats the longest matching prefix, which beats shorter ones', () => {
    const a = new RulesAuthorization('t', [rules], false);
    expect(a.allowed('key', 'app/x', 'write')).to.equal(true);
    expect(a.allowed('key', 'other', 'write')).to.equal(false);
    expect(a.allowed('key', 'other', 'read')).to.equal(true);
    expect(a.allowed('key', 'app/secret', 'read')).to.equal(false);
    expect(a.allowed('key', 'logs/1', 'list')).to.equal(true);
    expect(a.allowed('key', 'logs/1', 'read')).to.equal(false);
    expect(a.allowed('operator', '', 'read')).to.equal(true);
    expect(a.allowed('operator', '', 'write')).to.equal(false);
  });

  it('unmatched resources follow the default policy, except acl which needs a rule or management', () => {
    const allow = new RulesAuthorization('t', [rules], true);
    expect(allow.allowed('service', 'web', 'write')).to.equal(true);
    expect(allow.allowed('acl', '', 'read')).to.equal(false);
    const deny = new RulesAuthorization('t', [rules], false);
    expect(deny.allowed('service', 'web', 'read')).to.equal(false);
    expect(new RulesAuthorization('m', [], false, true).allowed('acl', '', 'write')).to.equal(true);
  });

  it('merges policies with deny first, and service identities grant their service and read on the rest', () => {
    const opens = parsePolicyRules('service_prefix "" { policy = "write" }');
    const closes = parsePolicyRules('service "db" { policy = "deny" }');
    const a = new RulesAuthorization('t', [opens, closes], false);
    expect(a.allowed('service', 'db', 'read')).to.equal(false);
    expect(a.allowed('service', 'web', 'write')).to.equal(true);
    const id = new RulesAuthorization('t', [identityRules([{ ServiceName: 'web' }], [])], false);
    expect(id.allowed('service', 'web', 'write')).to.equal(true);
    expect(id.allowed('service', 'web-sidecar-proxy', 'write')).to.equal(true);
    expect(id.allowed('service', 'db', 'read')).to.equal(true);
    expect(id.allowed('service', 'db', 'write')).to.equal(false);
    expect(id.allowed('node', 'any', 'read')).to.equal(true);
    expect(id.allowed('key', 'k', 'read')).to.equal(false);
  });
});
