import { expect } from 'chai';
import { HIDDEN_SECRET, redactSecret } from './secret-redaction.js';

describe('redactSecret', () => {
  const token = Object.freeze({ AccessorID: 'a', SecretID: 's3cr3t', Description: 'd' });

  it('hides the SecretID from a caller who may not see secrets, without touching the original', () => {
    const out = redactSecret(token, false);
    expect(out).to.deep.equal({ AccessorID: 'a', SecretID: HIDDEN_SECRET, Description: 'd' });
    expect(token.SecretID).to.equal('s3cr3t');
    expect(HIDDEN_SECRET).to.equal('<hidden>');
  });

  it('shows it to a caller who may, and leaves objects without a secret alone', () => {
    expect(redactSecret(token, true)).to.equal(token);
    const policy = { ID: 'p' } as { ID: string; SecretID?: string };
    expect(redactSecret(policy, false)).to.equal(policy);
  });
});
