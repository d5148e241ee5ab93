import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { servicesFromFiles } from './service-definition.js';

describe('service definition files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pc-svcdef-'));

  it('reads an HCL file as the agent reads its config: repeated blocks are several services', async () => {
    const f = join(dir, 'web.hcl');
    writeFileSync(
      f,
      'service {\n  name = "web"\n  port = 80\n  check {\n    ttl = "10s"\n  }\n}\nservice {\n  name = "api"\n}\n',
    );
    expect(await servicesFromFiles([f])).to.deep.equal([{ Name: 'web', Port: 80, Check: { TTL: '10s' } }, { Name: 'api' }]);
  });

  it('names file, line and column of an HCL syntax error', async () => {
    const f = join(dir, 'bad.hcl');
    writeFileSync(f, 'service {\n  name = \n}\n');
    let message = '';
    await servicesFromFiles([f]).catch((e: Error) => (message = e.message));
    expect(message).to.equal(`Error decoding ${f}:3:1: invalid HCL: expected a value, got "}"`);
  });
});
