import type { Pos } from './template-lexer.js';

/** An argument or command in a pipeline. */
export type Expr =
  | { readonly k: 'lit'; readonly value: unknown; readonly pos: Pos }
  | { readonly k: 'field'; readonly base: string | null; readonly path: readonly string[]; readonly pos: Pos }
  | { readonly k: 'call'; readonly fn: string; readonly args: readonly Expr[]; readonly pos: Pos }
  | { readonly k: 'pipe'; readonly pipe: Pipeline; readonly pos: Pos };

/** `$a, $b := cmd arg | cmd2`: commands whose output feeds the next as its last argument. */
export interface Pipeline {
  readonly decl: readonly string[];
  readonly assign: boolean;
  readonly cmds: readonly Expr[];
  readonly pos: Pos;
}

export type Node =
  | { readonly k: 'text'; readonly text: string }
  | { readonly k: 'action'; readonly pipe: Pipeline }
  | {
      readonly k: 'if' | 'with' | 'range';
      readonly pipe: Pipeline;
      readonly body: readonly Node[];
      readonly else: readonly Node[];
      readonly pos: Pos;
    };
