import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './agent-cluster.js';

/**
 * Run a peer's setup script (scripts/bench/<script>, which installs the Debian package when
 * missing and allowed). Returns undefined when the peer is usable, else the reason, which
 * the bench prints as "peer not available: <why>" before carrying on with our own figures.
 * Blocks up to `timeoutMs` (an apt-get install).
 */
export function ensurePeer(script: string, timeoutMs = 300_000): string | undefined {
  const r = spawnSync('bash', [join(repoRoot(), 'scripts', 'bench', script)], { encoding: 'utf8', timeout: timeoutMs });
  if (r.error) return `${script}: ${r.error.message}`;
  if (r.status === 0) return undefined;
  const why = r.stdout.trim().split('\n').pop();
  return why || `${script} exited with ${r.status ?? r.signal}`;
}
