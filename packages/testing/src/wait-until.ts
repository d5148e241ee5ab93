import { TestAgentTimeout } from './errors.js';

const POLL_MS = 5;

/**
 * Poll `probe` until it returns true or `timeoutMs` passes. A probe that throws counts as
 * "not yet" (the agent may still be binding); its last error is kept for the timeout message.
 */
export async function waitUntil(what: string, timeoutMs: number, probe: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  for (;;) {
    try {
      if (await probe()) return;
    } catch (e) {
      lastError = (e as Error).message;
    }
    if (Date.now() >= deadline) throw TestAgentTimeout(lastError ? `${what} (last error: ${lastError})` : what, timeoutMs);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
