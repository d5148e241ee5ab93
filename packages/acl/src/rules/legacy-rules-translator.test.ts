import { expect } from 'chai';
import { isCoded } from '@proconsul/kernel';
import { translateLegacyRules } from './legacy-rules-translator.js';

describe('translateLegacyRules (/v1/acl/rules/translate)', () => {
  it('turns legacy prefix rules into _prefix rules and keeps global and _prefix rules', () => {
    const out = translateLegacyRules(
      'key "" { policy = "read" }\nkey "app/" { policy = "write" }\nservice "" { policy = "write" intentions = "read" }\noperator = "read"\nnode_prefix "n" { policy = "deny" }',
    );
    expect(out).to.equal(
      [
        'key_prefix "" {\n  policy = "read"\n}',
        'key_prefix "app/" {\n  policy = "write"\n}',
        'service_prefix "" {\n  policy = "write"\n  intentions = "read"\n}',
        'operator = "read"',
        'node_prefix "n" {\n  policy = "deny"\n}',
      ].join('\n\n'),
    );
  });

  it('accepts JSON rules as Consul does', () => {
    expect(translateLegacyRules('{"session": {"": {"policy": "read"}}}')).to.equal('session_prefix "" {\n  policy = "read"\n}');
  });

  it('refuses what is not rules with a 400', () => {
    for (const bad of ['key "a" { policy = "sometimes" }', 'bogus "x" { policy = "read" }', '{"key": 5']) {
      let err: unknown;
      try {
        translateLegacyRules(bad);
      } catch (e) {
        err = e;
      }
      expect(isCoded(err, 'ACL_RULES_INVALID'), String(err)).to.equal(true);
    }
  });
});
