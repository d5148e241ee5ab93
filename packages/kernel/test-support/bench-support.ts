/**
 * Shared helpers for the multi-process benchmarks (`npm run bench:*`): spawn and clean up
 * agents and peers, wait for a leader, closed-loop load, latency percentiles, /proc
 * CPU/RSS readings, fsync probes, .cpuprofile summaries and markdown tables.
 * Benchmarks only: nothing here is used by the agent or by the test suites.
 */
export { benchTempDir, benchCleanup, trackPid, untrackPid } from './bench/bench-cleanup.js';
export { spawnLogged, stopProcess, waitFor, type SpawnedProcess } from './bench/bench-process.js';
export { httpRequest, httpJson, type HttpReply } from './bench/bench-http.js';
export {
  repoRoot,
  startAgent,
  startServerCluster,
  waitForLeader,
  stopAgents,
  type AgentOptions,
  type RunningAgent,
} from './bench/agent-cluster.js';
export { closedLoop, type LoadResult } from './bench/bench-load.js';
export { percentile, summarize, fmt, ratio, printTable, benchEnvironment, type LatencySummary } from './bench/bench-table.js';
export { cpuSeconds, threadCpuSeconds, rssBytes, cpuPercentOver, fsyncLatencies } from './bench/proc-stats.js';
export { ensurePeer } from './bench/peer-setup.js';
export { benchRaftLogStore, benchRaftLogStores, type RaftLogBackend } from './bench/raft-logstore-env.js';
export { topSelfTime, monotonicMicros, type SelfTimeRow } from './bench/cpu-profile.js';
