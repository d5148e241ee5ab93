import { expect } from 'chai';
import { patternGroup, requestGroup } from './route-index.js';

describe('RouteIndex groups', () => {
  it('groups a route by its two literal leading segments, and a request by its first two', () => {
    expect(patternGroup('/v1/kv{/*key}')).to.equal('/v1/kv');
    expect(patternGroup('/v1/agent/service/:id')).to.equal('/v1/agent');
    expect(patternGroup('/v1/status/leader')).to.equal('/v1/status');
    expect(requestGroup('/v1/kv')).to.equal('/v1/kv');
    expect(requestGroup('/v1/kv/a/b')).to.equal('/v1/kv');
    expect(requestGroup('/V1/KV/a')).to.equal('/v1/kv'); // koa-router matches case-insensitively
    expect(requestGroup('/v1')).to.equal('/v1');
  });

  it('leaves patterns without two whole literal segments to the fallback router', () => {
    expect(patternGroup('/ui{/*path}')).to.equal(undefined);
    expect(patternGroup('/ui/*file')).to.equal(undefined);
    expect(patternGroup('/')).to.equal(undefined);
    expect(patternGroup('/v1/ag:x')).to.equal(undefined);
    expect(patternGroup('/:dc/kv')).to.equal(undefined);
  });
});
