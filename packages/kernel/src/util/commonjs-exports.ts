/**
 * The named exports of a CommonJS package loaded with `import()`. Node's loader gives a
 * namespace with the names it detects beside `default`; a bundle (the CLI's and the testing
 * package's esbuild output) gives only `default`, the `module.exports` object. Code that
 * lazily imports a CommonJS package reads its exports through this so both work.
 */
export function commonJsExports<T extends object>(namespace: T | { readonly default: T }): T {
  const keys = Object.keys(namespace);
  if (keys.length === 1 && keys[0] === 'default') return (namespace as { readonly default: T }).default;
  return namespace as T;
}
