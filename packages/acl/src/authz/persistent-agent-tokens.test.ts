import { expect } from 'chai';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RuntimeConfig } from '@proconsul/kernel';
import { buildRuntimeConfig } from '@proconsul/config';
import { PersistentAgentTokens } from './persistent-agent-tokens.js';

function config(dataDir: string, persist: boolean): RuntimeConfig {
  const c = buildRuntimeConfig({ dev: true, sources: [], warn: () => {} });
  return { ...c, dataDir, acl: { ...c.acl, enableTokenPersistence: persist, tokens: { default: 'from-config' } } };
}

describe('PersistentAgentTokens', () => {
  it('with enable_token_persistence, a token set over the API survives a restart and wins over the config', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pc-tokens-'));
    const first = new PersistentAgentTokens(config(dir, true));
    expect(first.get('default')).to.equal('from-config');
    first.set('default', 'from-api');
    const file = join(dir, 'acl-tokens.json');
    expect(statSync(file).mode & 0o777).to.equal(0o600);
    expect(new PersistentAgentTokens(config(dir, true)).get('default')).to.equal('from-api');
    // The legacy name is the same token.
    first.set('agent_master', 'recovery');
    expect(PersistentAgentTokens.canonical('agent_master')).to.equal('agent_recovery');
  });

  it('without it, nothing is written and a restart returns to the config', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pc-tokens-'));
    const t = new PersistentAgentTokens(config(dir, false));
    t.set('default', 'from-api');
    expect(t.get('default')).to.equal('from-api');
    expect(existsSync(join(dir, 'acl-tokens.json'))).to.equal(false);
    expect(new PersistentAgentTokens(config(dir, false)).get('default')).to.equal('from-config');
  });
});
