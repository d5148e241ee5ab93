import type { RaftLog } from './raft-log.js';

export type Role = 'follower' | 'precandidate' | 'candidate' | 'leader';

/**
 * The raft log as helpers and observers may see it: reads only. Appends, truncation and
 * compaction go through RaftNode, which keeps the durable copy, the configuration and the
 * durable index in step with the in-memory log.
 */
export type LogView = Pick<
  RaftLog,
  'firstIndex' | 'lastIndex' | 'lastTerm' | 'termAt' | 'entry' | 'slice' | 'firstIndexOfTerm' | 'latestConfig' | 'dataBytes'
> &
  Readonly<Pick<RaftLog, 'snapshotIndex' | 'snapshotTerm' | 'snapshotConfig'>>;
