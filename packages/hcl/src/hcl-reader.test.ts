import { expect } from 'chai';
import { decodeHcl } from './hcl-decoder.js';
import { HclSyntaxError } from './hcl-syntax-error.js';

function syntaxError(text: string): HclSyntaxError {
  try {
    decodeHcl(text);
  } catch (e) {
    if (e instanceof HclSyntaxError) return e;
    throw e;
  }
  throw new Error('expected a syntax error');
}

describe('HCL reader', () => {
  it('decodes attributes, nested blocks, object literals and lists to the JSON form', () => {
    const doc = decodeHcl(`
      a = "x"
      n = 42
      f = -1.5
      e = 1e3
      h = 0x1F
      t = true
      l = [1, "two", false,]
      o = { k = "v", "quoted key" = 2 }
      outer { inner { deep = "yes" } }
    `);
    expect(doc.value).to.deep.equal({
      a: 'x',
      n: 42,
      f: -1.5,
      e: 1000,
      h: 31,
      t: true,
      l: [1, 'two', false],
      o: { k: 'v', 'quoted key': 2 },
      outer: { inner: { deep: 'yes' } },
    });
  });

  it('understands all three comment forms and string escapes, keeping ${…} as text', () => {
    const doc = decodeHcl(
      '# hash\n// slashes\n/* block\n comment */ s = "a\\"b\\\\c\\n\\t\\u00e9" # trailing\ni = "${node.name} \\"q\\""\n',
    );
    expect(doc.value).to.deep.equal({ s: 'a"b\\c\n\té', i: '${node.name} "q"' });
  });

  it('reads heredocs, and strips the common indentation of <<- heredocs', () => {
    const doc = decodeHcl('a = <<EOF\nline 1\n  line 2\nEOF\nb = <<-EOT\n    x\n      y\n    EOT\nc = 1\n');
    expect(doc.value).to.deep.equal({ a: 'line 1\n  line 2\n', b: 'x\n  y\n', c: 1 });
  });

  it('turns labelled blocks into nested objects; repeated blocks merge unless listed', () => {
    const text =
      'key_prefix "a/" { policy = "read" }\nkey_prefix "b/" { policy = "write" }\nsvc { name = "x" }\nsvc { name = "y" }\n';
    expect(decodeHcl(text).value).to.deep.equal({
      key_prefix: { 'a/': { policy: 'read' }, 'b/': { policy: 'write' } },
      svc: { name: 'y' },
    });
    expect(decodeHcl(text, { isList: (p) => p === 'svc' }).value['svc']).to.deep.equal([{ name: 'x' }, { name: 'y' }]);
    // A list attribute at a list path appends to the blocks, as Consul's decoder does.
    expect(decodeHcl('svc { n = 1 }\nsvc = [{ n = 2 }]', { isList: (p) => p === 'svc' }).value).to.deep.equal({
      svc: [{ n: 1 }, { n: 2 }],
    });
  });

  it('records where each key was written', () => {
    const doc = decodeHcl('a = 1\nports {\n  http = 8500\n}\n');
    expect(doc.positions.get('a')).to.deep.equal({ line: 1, col: 1 });
    expect(doc.positions.get('ports.http')).to.deep.equal({ line: 3, col: 3 });
  });

  it('names line and column of a syntax error', () => {
    const cases: [string, number, number, string][] = [
      ['a = 1\nb = \n', 3, 1, 'expected a value'],
      ['a = 1\n  b "x"\n', 3, 1, 'expected "=" or "{" after b'],
      ['a = "unterminated\n', 1, 5, 'string not terminated'],
      ['x {\n  y = 1\n', 3, 1, 'expected a key, got end of input'],
      ['l = [1 2]', 1, 8, 'expected "," or "]" in list'],
      ['a = 1\n/* open', 2, 1, 'comment not terminated'],
      ['a = <<EOF\nno end\n', 1, 5, 'heredoc not terminated'],
      ['a = "\\q"', 1, 6, 'unknown escape sequence'],
      ['a = 1\n  @', 2, 3, 'unexpected character'],
      // Hostile nesting (ACL rules arrive over HTTP) is a syntax error, not a stack overflow.
      ['a = ' + '['.repeat(100_000), 1, 68, 'nesting deeper than 64 levels'],
      ['a ' + '{ b '.repeat(100_000), 1, 255, 'nesting deeper than 64 levels'],
    ];
    for (const [text, line, col, reason] of cases) {
      const e = syntaxError(text);
      expect({ line: e.pos.line, col: e.pos.col }, text).to.deep.equal({ line, col });
      expect(e.reason, text).to.contain(reason);
    }
  });
});
