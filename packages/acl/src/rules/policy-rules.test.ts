import { expect } from 'chai';
import { readRulesHcl } from './rules-hcl-reader.js';
import { parsePolicyRules } from './policy-rules.js';

describe('ACL rules (HCL subset and JSON)', () => {
  it('decodes Consul policy HCL: labelled blocks merge by type, comments and commas are skipped', () => {
    const doc = readRulesHcl(`
      // KV
      key_prefix "" { policy = "read" }
      key_prefix "app/" {
        policy = "write"   # the app owns it
      }
      /* operators */ operator = "read", keyring = "write"
      service "web" { policy = "write" intentions = "read" }
    `);
    expect(doc).to.deep.equal({
      key_prefix: { '': { policy: 'read' }, 'app/': { policy: 'write' } },
      operator: 'read',
      keyring: 'write',
      service: { web: { policy: 'write', intentions: 'read' } },
    });
  });

  it('compiles HCL and JSON to the same rules; overlapping rules keep the strongest (deny > write > read)', () => {
    const hcl = parsePolicyRules('node "n1" { policy = "read" }\nnode "n1" { policy = "deny" }\nacl = "read"');
    const json = parsePolicyRules('{"node": {"n1": {"policy": "deny"}}, "acl": "read"}');
    expect([...hcl.exact.get('node')!]).to.deep.equal([['n1', 'deny']]);
    expect(hcl).to.deep.equal(json);
    expect(parsePolicyRules('key "k" { policy = "list" }').exact.get('key')!.get('k')).to.equal('list');
    // Enterprise sections are valid Consul policies: accepted, not acted on.
    expect(() => parsePolicyRules('partition_prefix "" { policy = "read" }')).to.not.throw();
  });

  it('names the line and the problem when the rules are wrong', () => {
    const fail = (text: string) => {
      try {
        parsePolicyRules(text);
      } catch (e) {
        return (e as Error).message;
      }
      return 'no error';
    };
    expect(fail('key_prefix "" {\n  policy = "read"\n')).to.equal(
      'Failed to parse ACL rules: At 3: expected a key, got end of input',
    );
    expect(fail('service "a" { policy = "list" }')).to.contain('invalid policy "list" for service "a"');
    expect(fail('keys "a" { policy = "read" }')).to.equal('Failed to parse ACL rules: unknown rule type "keys"');
    expect(fail('key "a" { policy = "read"')).to.contain('At 1');
    expect(fail('{"key": 3}')).to.contain('key must be a block of names');
    expect(fail('operator = "admin"')).to.contain('invalid policy "admin" for operator');
  });
});
