import { spawn, type ChildProcess } from 'node:child_process';
import type { Logger } from '@proconsul/kernel';
import type { WatchHandler } from './watch-handler.js';

const OUTPUT_LOG_LIMIT = 4096; // Consul keeps the last 4k of a handler's output for its log line

/**
 * Consul's script handler: `args` run without a shell, the JSON on stdin and CONSUL_INDEX
 * in the environment; runs are sequential (the plan awaits each), output goes to the log.
 */
export class ScriptWatchHandler implements WatchHandler {
  private readonly running = new Set<ChildProcess>();

  constructor(
    private readonly args: readonly string[],
    private readonly log: Logger,
  ) {}

  run(index: bigint, body: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.args[0]!, this.args.slice(1), {
        env: { ...process.env, CONSUL_INDEX: index.toString() },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      this.running.add(child);
      let output = '';
      const keep = (chunk: Buffer) => {
        output = (output + chunk.toString()).slice(-OUTPUT_LOG_LIMIT);
      };
      child.stdout!.on('data', keep);
      child.stderr!.on('data', keep);
      // A handler that ignores stdin may exit before reading it; that is not our failure.
      child.stdin!.on('error', () => {});
      child.stdin!.end(body);
      child.once('error', (e) => {
        this.running.delete(child);
        reject(new Error(`failed to run watch handler ${JSON.stringify(this.args[0])}: ${e.message}`));
      });
      child.once('close', (code, signal) => {
        this.running.delete(child);
        if (output) this.log.debug('watch handler output', { output: output.trimEnd() });
        if (code === 0) resolve();
        else reject(new Error(`watch handler ${JSON.stringify(this.args[0])} exited with ${signal ?? `code ${code}`}`));
      });
    });
  }

  close(): void {
    for (const c of this.running) c.kill('SIGTERM');
  }
}
