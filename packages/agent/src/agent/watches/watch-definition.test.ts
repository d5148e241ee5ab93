import { expect } from 'chai';
import { parseWatches } from './watch-definition.js';

describe('watch definitions', () => {
  const script = { args: ['/bin/true'] };

  it('accepts every supported type with Consul’s parameters', () => {
    const defs = parseWatches(
      [
        { type: 'key', key: 'a/b', ...script },
        { type: 'keyprefix', prefix: 'a/', ...script },
        { type: 'services', ...script },
        { type: 'nodes', ...script },
        { type: 'service', service: 'web', tag: ['v1', 'blue'], passingonly: true, ...script },
        { type: 'checks', state: 'critical', ...script },
        {
          type: 'event',
          name: 'deploy',
          handler_type: 'http',
          http_handler_config: { path: 'http://127.0.0.1:1/x', header: { A: ['1'] }, timeout: '2s' },
        },
      ],
      'dc1',
    );
    expect(defs.map((d) => d.type)).to.deep.equal(['key', 'keyprefix', 'services', 'nodes', 'service', 'checks', 'event']);
    expect(defs[4]).to.include({ service: 'web', passingOnly: true });
    expect(defs[4]!.tags).to.deep.equal(['v1', 'blue']);
    expect(defs[6]!.handler).to.deep.equal({
      kind: 'http',
      config: { path: 'http://127.0.0.1:1/x', method: 'POST', header: { A: ['1'] }, timeoutMs: 2000, tlsSkipVerify: false },
    });
  });

  it('names the watch index and type of a bad entry', () => {
    expect(() =>
      parseWatches(
        [
          { type: 'key', key: 'k', ...script },
          { type: 'bogus', ...script },
        ],
        'dc1',
      ),
    ).to.throw(/watches\[1\]: unsupported watch type "bogus"/);
    expect(() => parseWatches([{ type: 'key', ...script }], 'dc1')).to.throw(/watches\[0\]: Must specify a single key/);
    expect(() => parseWatches([{ type: 'checks', service: 'a', state: 'passing', ...script }], 'dc1')).to.throw(
      'Cannot specify service and state',
    );
    expect(() => parseWatches([{ type: 'nodes', key: 'x', ...script }], 'dc1')).to.throw(
      'invalid parameters for a nodes watch: key',
    );
    expect(() => parseWatches([{ type: 'nodes' }], 'dc1')).to.throw('needs "args"');
    expect(() => parseWatches([{ type: 'nodes', handler: 'echo hi' }], 'dc1')).to.throw('"handler" is not supported');
    expect(() =>
      parseWatches([{ type: 'nodes', handler_type: 'http', http_handler_config: { path: 'ftp://x' } }], 'dc1'),
    ).to.throw('http(s) URL');
    expect(() => parseWatches([{ type: 'nodes', datacenter: 'dc2', ...script }], 'dc1')).to.throw('not reachable');
  });
});
