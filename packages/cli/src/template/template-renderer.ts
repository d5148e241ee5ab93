import type { ConsulHttpClient } from '../http-client.js';
import { ConsulTemplateData, MissingData, type Dependency } from './consul-template-data.js';
import { TemplateError } from './template-error.js';
import { execute } from './template-exec.js';
import { parseTemplate } from './template-parser.js';
import type { Node } from './template-ast.js';

export type Rendering =
  | { readonly done: true; readonly output: string; readonly deps: readonly Dependency[] }
  /** Data the template needs does not exist yet (a `key` that is missing): wait on `deps`. */
  | { readonly done: false; readonly waitingFor: string; readonly deps: readonly Dependency[] };

/** A parsed template, rendered against the agent as often as its data changes. */
export class CompiledTemplate {
  private readonly nodes: Node[];

  constructor(
    readonly name: string,
    source: string,
  ) {
    try {
      this.nodes = parseTemplate(source);
    } catch (e) {
      throw e instanceof TemplateError ? e.named(name) : e;
    }
  }

  async render(client: ConsulHttpClient): Promise<Rendering> {
    const data = new ConsulTemplateData(client);
    try {
      const output = await execute(this.nodes, undefined, data.funcs());
      return { done: true, output, deps: [...data.deps.values()] };
    } catch (e) {
      if (e instanceof MissingData) return { done: false, waitingFor: e.what, deps: [...data.deps.values()] };
      throw e instanceof TemplateError ? e.named(this.name) : e;
    }
  }
}
