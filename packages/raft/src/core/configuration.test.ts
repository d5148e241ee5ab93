import { expect } from 'chai';
import { quorumValue } from './configuration.js';
import type { ConfigurationData, Suffrage } from './messages.js';

function config(...servers: [string, Suffrage][]): ConfigurationData {
  return { servers: servers.map(([id, suffrage]) => ({ id, node: id, address: `${id}:8300`, suffrage })) };
}

describe('quorumValue (commit index, lease contact, acknowledged reads)', () => {
  it('is the highest value a majority of voters has reached, whatever their order', () => {
    const c = config(['a', 'voter'], ['b', 'voter'], ['c', 'voter']);
    const match: Record<string, number> = { a: 10, b: 7, c: 3 };
    expect(quorumValue(c, (id) => match[id]!)).to.equal(7);
    for (const order of [
      { a: 3, b: 10, c: 7 },
      { a: 7, b: 3, c: 10 },
    ])
      expect(quorumValue(c, (id) => order[id as 'a']!)).to.equal(7);
    const five = config(['a', 'voter'], ['b', 'voter'], ['c', 'voter'], ['d', 'voter'], ['e', 'voter']);
    const m5: Record<string, number> = { a: 1, b: 9, c: 4, d: 9, e: 2 };
    expect(quorumValue(five, (id) => m5[id]!)).to.equal(4);
  });

  it('counts only voters, and a server alone is its own quorum', () => {
    const c = config(['a', 'voter'], ['b', 'nonvoter'], ['c', 'nonvoter']);
    expect(quorumValue(c, (id) => (id === 'a' ? 5 : 100))).to.equal(5);
    expect(quorumValue(config(), () => 1)).to.equal(-Infinity);
  });

  it('handles the leader as Infinity and unknown peers as -Infinity, across growing and shrinking clusters', () => {
    const sizes = [1, 3, 9, 2, 7, 4];
    for (const n of sizes) {
      const c = config(...Array.from({ length: n }, (_, i): [string, Suffrage] => [`s${i}`, 'voter']));
      const valueOf = (id: string) => (id === 's0' ? Infinity : id === 's1' ? -Infinity : Number(id.slice(1)));
      const expected = [Infinity, -Infinity, ...Array.from({ length: Math.max(0, n - 2) }, (_, i) => i + 2)]
        .slice(0, n)
        .sort((x, y) => y - x)[Math.floor(n / 2)];
      expect(quorumValue(c, valueOf), `${n} voters`).to.equal(expected);
    }
  });
});
