import { defineError } from '@proconsul/kernel';

/** A `watches` entry in the agent config that cannot run; names the entry so the operator finds it. */
export const WatchInvalid = defineError('WATCH_INVALID', 400, (index: number, reason: string) => `watches[${index}]: ${reason}`);
