import { expect } from 'chai';
import { execute } from './template-exec.js';
import { parseTemplate } from './template-parser.js';
import type { TemplateFn } from './template-builtins.js';

const render = (src: string, data: unknown = undefined, funcs: Record<string, TemplateFn> = {}) =>
  execute(parseTemplate(src), data, funcs);

describe("template engine (Go text/template's semantics, the subset consul-template uses)", () => {
  it('prints text and values as Go does: fields, missing keys, lists, maps, nil', async () => {
    const data = { Name: 'web', Port: 8080, Tags: ['a', 'b'], Meta: { z: '1', a: '2' }, Nil: null };
    expect(await render('{{ .Name }}:{{ .Port }} {{ .Tags }} {{ .Meta }} {{ .Nil }} {{ .Missing }}', data)).to.equal(
      'web:8080 [a b] map[a:2 z:1] <nil> <no value>',
    );
  });

  it('trims whitespace around actions with {{- and -}}, and drops comments', async () => {
    expect(await render('a  \n  {{- "b" -}}  \n  c{{/* note */}}d')).to.equal('abcd');
    expect(await render('{{ -3 }}')).to.equal('-3'); // a negative number, not a trim marker
  });

  it('if / else if / else, with Go truthiness', async () => {
    const t = '{{ if .A }}A{{ else if .B }}B{{ else }}none{{ end }}';
    expect(await render(t, { A: 'x' })).to.equal('A');
    expect(await render(t, { A: '', B: [1] })).to.equal('B');
    expect(await render(t, { A: 0, B: [] })).to.equal('none');
  });

  it('range over lists (with $i, $v) and over maps in key order, with else when empty', async () => {
    expect(await render('{{ range $i, $v := .L }}{{ $i }}={{ $v }};{{ end }}', { L: ['x', 'y'] })).to.equal('0=x;1=y;');
    expect(await render('{{ range $k, $v := .M }}{{ $k }}{{ $v }} {{ end }}', { M: { b: 2, a: 1 } })).to.equal('a1 b2 ');
    expect(await render('{{ range .L }}{{ . }}{{ else }}empty{{ end }}', { L: [] })).to.equal('empty');
    // $ is the root inside a range.
    expect(await render('{{ range .L }}{{ $.P }}{{ . }} {{ end }}', { L: [1, 2], P: '#' })).to.equal('#1 #2 ');
  });

  it('with rebinds dot; variables keep their scope; pipelines pass the value last', async () => {
    expect(await render('{{ with .S }}{{ .N }}{{ end }}', { S: { N: 'in' } })).to.equal('in');
    expect(await render('{{ $x := "a" }}{{ if true }}{{ $x = "b" }}{{ end }}{{ $x }}')).to.equal('b');
    expect(await render('{{ "a,b,c" | split "," | join ";" }}')).to.equal('a;b;c');
    expect(await render('{{ printf "%s:%d %.2f %q" "h" 80 1.5 "x" }}')).to.equal('h:80 1.50 "x"');
    expect(await render('{{ if and (eq .A 1) (ne .B "x") (not .C) }}yes{{ end }}', { A: 1, B: 'y', C: false })).to.equal('yes');
    expect(await render('{{ len .L }} {{ index .M "k" }}', { L: [1, 2, 3], M: { k: 'v' } })).to.equal('3 v');
  });

  it('calls async functions and JSON helpers', async () => {
    const funcs = { key: async (k: unknown) => (k === 'app/config' ? '{"host":"db","port":5432}' : '') };
    expect(
      await render('{{ with $c := key "app/config" | parseJSON }}{{ $c.host }}:{{ $c.port }}{{ end }}', undefined, funcs),
    ).to.equal('db:5432');
    expect(await render('{{ .L | toJSON }}', { L: ['a'] })).to.equal('["a"]');
  });

  it('names line and column for mistakes', async () => {
    const fail = async (src: string) => {
      try {
        await render(src, {});
      } catch (e) {
        return (e as Error).message;
      }
      return 'no error';
    };
    expect(await fail('ok\n  {{ if .A }}x')).to.equal('2:3: unexpected EOF: missing {{end}}');
    expect(await fail('{{ nosuch "a" }}')).to.equal('1:4: function "nosuch" not defined');
    expect(await fail('{{ "unterminated }}')).to.match(/^1:1: unterminated quoted string/);
    expect(await fail('{{ end }}')).to.equal('1:1: unexpected {{end}}');
    expect(await fail('a {{ .A.B }}')).to.equal('1:6: nil pointer evaluating .B');
  });
});
