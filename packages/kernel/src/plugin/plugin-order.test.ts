import { expect } from 'chai';
import { isCoded } from '../errors/proconsul-error.js';
import type { PluginManifest } from './plugin-manifest.js';
import { orderPlugins } from './plugin-order.js';

const m = (name: string, provides: string[] = [], requires: string[] = []): PluginManifest => ({
  name,
  version: '1.0.0',
  provides,
  requires,
  configSchema: {},
});

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return isCoded(e) ? e.code : 'UNCODED';
  }
  return undefined;
}

describe('orderPlugins', () => {
  it('puts providers before the plugins that require them, otherwise keeps file order', () => {
    const list = [
      m('api', ['api-frontend'], ['consensus']),
      m('raft', ['consensus'], ['storage']),
      m('store', ['storage']),
      m('extra'),
    ];
    expect(orderPlugins(list).map((i) => list[i]!.name)).to.deep.equal(['store', 'raft', 'api', 'extra']);
  });

  it('accepts requirements the kernel provides', () => {
    expect(orderPlugins([m('x', [], ['fsm'])])).to.deep.equal([0]);
  });

  it('refuses a missing required capability, naming plugin and capability', () => {
    try {
      orderPlugins([m('raft', ['consensus'], ['storage'])]);
      expect.fail('should throw');
    } catch (e) {
      expect(isCoded(e, 'PLUGIN_REQUIREMENT_MISSING')).to.equal(true);
      expect((e as Error).message)
        .to.contain('raft')
        .and.to.contain('storage');
    }
  });

  it('refuses two providers of a single-valued capability', () => {
    expect(codeOf(() => orderPlugins([m('a', ['storage']), m('b', ['storage'])]))).to.equal('PLUGIN_CAPABILITY_CONFLICT');
    expect(codeOf(() => orderPlugins([m('a', ['check-type:http']), m('b', ['check-type:http'])]))).to.equal(
      'PLUGIN_CAPABILITY_CONFLICT',
    );
  });

  it('allows many providers of a multi-valued capability', () => {
    expect(orderPlugins([m('http', ['api-frontend']), m('dns', ['api-frontend'])])).to.have.length(2);
  });

  it('refuses cyclic requires and names the cycle', () => {
    try {
      orderPlugins([m('a', ['x'], ['y']), m('b', ['y'], ['x'])]);
      expect.fail('should throw');
    } catch (e) {
      expect(isCoded(e, 'PLUGIN_CYCLE')).to.equal(true);
      expect((e as Error).message).to.match(/a -> b -> a|b -> a -> b/);
    }
  });

  it('refuses the same plugin twice', () => {
    expect(codeOf(() => orderPlugins([m('a'), m('a')]))).to.equal('PLUGIN_DUPLICATE');
  });
});
