import { expect } from 'chai';

interface UiModel {
  worstStatus(s: string[]): string;
  serviceSummaries(
    services: Record<string, string[]>,
    checks: { Node: string; ServiceName: string; Status: string }[],
  ): { name: string; tags: string[]; passing: number; warning: number; critical: number; status: string }[];
  keyChildren(keys: string[], prefix: string): string[];
  parentOf(path: string): string;
  decodeValue(b64: string | null): string;
  route(pathname: string): { view: string; arg?: string };
}

// The browser module itself, not a copy: it is plain JavaScript without DOM access.
// The browser asset is plain JS outside the TypeScript build, so it is loaded by URL.
// eslint-disable-next-line no-restricted-syntax
const model = (await import(new URL('../assets/ui-model.js', import.meta.url).href)) as UiModel;

describe('UI model (the browser code, run under Node)', () => {
  it('summarises service health including the checks of the nodes they run on', () => {
    const s = model.serviceSummaries({ web: ['v1'], db: [] }, [
      { Node: 'n1', ServiceName: '', Status: 'passing' },
      { Node: 'n2', ServiceName: '', Status: 'critical' },
      { Node: 'n1', ServiceName: 'web', Status: 'passing' },
      { Node: 'n2', ServiceName: 'db', Status: 'warning' },
    ]);
    expect(s).to.deep.equal([
      { name: 'db', tags: [], passing: 0, warning: 1, critical: 1, status: 'critical' },
      { name: 'web', tags: ['v1'], passing: 2, warning: 0, critical: 0, status: 'passing' },
    ]);
    expect(model.worstStatus([])).to.equal('passing');
    expect(model.worstStatus(['passing', 'unknown'])).to.equal('critical');
  });

  it('navigates the key tree and decodes UTF-8 values', () => {
    expect(model.keyChildren(['app/', 'app/a', 'app/b/', 'other'], 'app/')).to.deep.equal(['app/a', 'app/b/']);
    expect(model.parentOf('app/b/c')).to.equal('app/b/');
    expect(model.parentOf('app/b/')).to.equal('app/');
    expect(model.parentOf('top')).to.equal('');
    expect(model.decodeValue(Buffer.from('héllo ✓').toString('base64'))).to.equal('héllo ✓');
    expect(model.decodeValue(null)).to.equal('');
  });

  it('maps /ui/ paths to views', () => {
    expect(model.route('/ui/')).to.deep.equal({ view: 'services' });
    expect(model.route('/ui/services/web%20api')).to.deep.equal({ view: 'service', arg: 'web api' });
    expect(model.route('/ui/nodes/n1')).to.deep.equal({ view: 'node', arg: 'n1' });
    expect(model.route('/ui/kv/app/config/')).to.deep.equal({ view: 'kv', arg: 'app/config/' });
  });
});
