import { defineError } from '@proconsul/kernel';

export const NoGossipForEvents = defineError(
  'EVENT_NO_MEMBERSHIP',
  500,
  () => 'cannot fire user event: gossip membership is not enabled on this agent (no membership plugin in plugins.json)',
);
