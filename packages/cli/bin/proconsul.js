#!/usr/bin/env node
// Committed launcher so npm can link the `proconsul` bin at install time, before the build has
// produced dist/ (npm ci links bins first, then runs prepare). It runs the bundle
// (dist-bundle/main.js: a few files instead of ~800 modules) when it is current, else the tsc
// output: after a `tsc -b` that changed a package the bundle holds, until scripts/bundle.mjs
// runs again (the root build, test and prepare scripts do). PROCONSUL_NO_BUNDLE=1 forces the
// tsc output. The check reads one small file and stats ~25 build records, not every input.
import { readFileSync, statSync } from 'node:fs';

const bundle = new URL('../dist-bundle/main.js', import.meta.url);

function bundleIsCurrent() {
  if (process.env.PROCONSUL_NO_BUNDLE === '1') return false;
  const built = statSync(bundle, { throwIfNoEntry: false })?.mtimeMs;
  if (built === undefined) return false;
  let records;
  try {
    records = JSON.parse(readFileSync(new URL('built-from.json', bundle), 'utf8'));
  } catch {
    return false;
  }
  // An installed package ships no build records: nothing to be older than.
  return records.every((f) => (statSync(new URL(f, bundle), { throwIfNoEntry: false })?.mtimeMs ?? 0) <= built);
}

await import(bundleIsCurrent() ? bundle.href : '../dist/main.js');
