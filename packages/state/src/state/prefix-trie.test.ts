import { expect } from 'chai';
import { PrefixTrie } from './prefix-trie.js';

describe('PrefixTrie', () => {
  it('collects items registered under every prefix of a key, and only those', () => {
    const trie = new PrefixTrie<string>();
    trie.add('', 'root');
    trie.add('a/', 'a');
    trie.add('a/b', 'ab');
    trie.add('a/c', 'ac');
    trie.add('b', 'b');
    const out = new Set<string>();
    trie.collect('a/b/c', out);
    expect([...out].sort()).to.deep.equal(['a', 'ab', 'root']);
    const none = new Set<string>();
    trie.collect('', none);
    expect([...none]).to.deep.equal(['root']);
  });

  it('prunes empty branches on removal so size returns to zero', () => {
    const trie = new PrefixTrie<number>();
    trie.add('x/y/z', 1);
    trie.add('x/y', 2);
    trie.add('x/y', 2);
    expect(trie.size).to.equal(2);
    trie.remove('x/y/z', 1);
    trie.remove('x/y', 2);
    trie.remove('nope', 3);
    expect(trie.size).to.equal(0);
    const out = new Set<number>();
    trie.collectAll(out);
    expect(out.size).to.equal(0);
    expect((trie as unknown as { root: { children?: Map<string, unknown> } }).root.children?.size ?? 0).to.equal(0);
  });
});
