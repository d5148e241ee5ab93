import type { Expr, Node, Pipeline } from './template-ast.js';
import { TemplateError } from './template-error.js';
import { lex, type Pos, type Token, type Word } from './template-lexer.js';

/** Parses Go text/template source (the subset consul-template templates use) into nodes. */
export function parseTemplate(src: string): Node[] {
  const tokens = lex(src);
  let i = 0;

  /** Nodes until `{{end}}`/`{{else…}}` (returned as the stopper) or the end of input. */
  function list(inBlock: Pos | undefined): { nodes: Node[]; stop: 'end' | 'else' | 'eof'; elseRest: Word[]; at?: Pos } {
    const nodes: Node[] = [];
    while (i < tokens.length) {
      const tok = tokens[i++]!;
      if (tok.kind === 'text') {
        nodes.push({ k: 'text', text: tok.text });
        continue;
      }
      const [first, ...rest] = tok.tokens;
      if (!first) throw new TemplateError(tok.pos, 'missing value for command');
      if (first.t === 'ident' && (first.name === 'end' || first.name === 'else')) {
        if (!inBlock) throw new TemplateError(tok.pos, `unexpected {{${first.name}}}`);
        if (first.name === 'end' && rest.length > 0) throw new TemplateError(tok.pos, 'unexpected words after end');
        return { nodes, stop: first.name, elseRest: rest, at: tok.pos };
      }
      if (first.t === 'ident' && (first.name === 'if' || first.name === 'range' || first.name === 'with')) {
        nodes.push(block(first.name, rest, tok));
        continue;
      }
      if (first.t === 'ident' && (first.name === 'define' || first.name === 'template' || first.name === 'block'))
        throw new TemplateError(tok.pos, `{{${first.name}}} is not supported`);
      nodes.push({ k: 'action', pipe: pipeline(tok.tokens, tok.pos) });
    }
    if (inBlock) throw new TemplateError(inBlock, 'unexpected EOF: missing {{end}}');
    return { nodes, stop: 'eof', elseRest: [] };
  }

  function block(kind: 'if' | 'range' | 'with', words: readonly Word[], tok: Token): Node {
    if (words.length === 0) throw new TemplateError(tok.pos, `missing value for ${kind}`);
    const pipe = pipeline(words, tok.pos);
    const body = list(tok.pos);
    let elseNodes: Node[] = [];
    if (body.stop === 'else') {
      const [w, ...more] = body.elseRest;
      if (w && w.t === 'ident' && (w.name === 'if' || w.name === 'with')) {
        // `{{else if x}}…{{end}}`: an if inside the else, sharing the one {{end}}.
        elseNodes = [block(w.name, more, { kind: 'action', tokens: more, pos: body.at! })];
      } else {
        if (w) throw new TemplateError(body.at, 'unexpected words after else');
        const tail = list(tok.pos);
        if (tail.stop !== 'end') throw new TemplateError(tail.at, 'expected {{end}}');
        elseNodes = tail.nodes;
      }
    }
    return { k: kind, pipe, body: body.nodes, else: elseNodes, pos: tok.pos };
  }

  const top = list(undefined);
  return top.nodes;
}

function pipeline(words: readonly Word[], at: Pos): Pipeline {
  let w = [...words];
  const decl: string[] = [];
  let assign = false;
  const opIndex = w.findIndex((x) => x.t === 'punct' && (x.value === ':=' || x.value === '='));
  if (opIndex > 0) {
    const lhs = w.slice(0, opIndex);
    for (const x of lhs) {
      if (x.t === 'punct' && x.value === ',') continue;
      if (x.t !== 'field' || !x.base || x.path.length > 0) throw new TemplateError(x.pos, 'expected a variable before :=');
      decl.push(x.base);
    }
    assign = (w[opIndex] as { value: string }).value === '=';
    w = w.slice(opIndex + 1);
  }
  const cmds: Expr[] = [];
  let cur: Word[] = [];
  let depth = 0;
  for (const x of w) {
    if (x.t === 'punct' && x.value === '(') depth++;
    if (x.t === 'punct' && x.value === ')') depth--;
    if (depth === 0 && x.t === 'punct' && x.value === '|') {
      cmds.push(command(cur, x.pos));
      cur = [];
    } else cur.push(x);
  }
  cmds.push(command(cur, at));
  return { decl, assign, cmds, pos: at };
}

function command(words: readonly Word[], at: Pos): Expr {
  if (words.length === 0) throw new TemplateError(at, 'missing command in pipeline');
  const ops: Expr[] = [];
  let i = 0;
  while (i < words.length) {
    const x = words[i]!;
    if (x.t === 'punct' && x.value === '(') {
      let depth = 1;
      let j = i + 1;
      for (; j < words.length && depth > 0; j++) {
        const y = words[j]!;
        if (y.t === 'punct' && y.value === '(') depth++;
        if (y.t === 'punct' && y.value === ')') depth--;
      }
      if (depth !== 0) throw new TemplateError(x.pos, 'unclosed left paren');
      ops.push({ k: 'pipe', pipe: pipeline(words.slice(i + 1, j - 1), x.pos), pos: x.pos });
      i = j;
      continue;
    }
    ops.push(operand(x));
    i++;
  }
  const [head, ...args] = ops;
  if (head!.k === 'call') return { ...head!, args };
  if (args.length > 0) throw new TemplateError(head!.pos, "can't give arguments to a non-function");
  return head!;
}

function operand(x: Word): Expr {
  switch (x.t) {
    case 'string':
    case 'number':
    case 'bool':
      return { k: 'lit', value: x.value, pos: x.pos };
    case 'nil':
      return { k: 'lit', value: null, pos: x.pos };
    case 'field':
      return { k: 'field', base: x.base, path: x.path, pos: x.pos };
    case 'ident':
      return { k: 'call', fn: x.name, args: [], pos: x.pos };
    case 'punct':
      throw new TemplateError(x.pos, `unexpected ${JSON.stringify(x.value)}`);
  }
}
