import { AS_SERVER } from '@proconsul/kernel';
import type { StateStore } from '@proconsul/state';
import type { ClusterRpc } from '../server/cluster-rpc.js';
import {
  AUTOPILOT_META_KEY,
  DEFAULT_AUTOPILOT_CONFIG,
  asStoredConfig,
  type AutopilotConfig,
  type StoredAutopilotConfig,
} from './autopilot-config.js';

/**
 * The replicated autopilot configuration (system metadata, written through consensus).
 * Writes must run on the leader; CAS is checked by the FSM against the stored ModifyIndex,
 * so concurrent setters cannot both win.
 */
export class AutopilotConfigStore {
  constructor(
    private readonly store: StateStore,
    private readonly rpc: ClusterRpc,
    /** What a leader stores when none is stored yet: defaults plus the agent config's block. */
    private readonly initial: AutopilotConfig = DEFAULT_AUTOPILOT_CONFIG,
  ) {}

  /** What this server's replica holds (may lag the leader). */
  local(): StoredAutopilotConfig | undefined {
    return asStoredConfig(this.store.system.get(AUTOPILOT_META_KEY).value);
  }

  /** Leader: the stored configuration, created from `initial` on first use (as Consul does when it gains leadership). */
  async getOrCreate(): Promise<StoredAutopilotConfig> {
    const existing = this.local();
    if (existing) return existing;
    await this.rpc.write(
      {
        v: 1,
        type: 'system-meta-set',
        Key: AUTOPILOT_META_KEY,
        Value: { ...this.initial },
        Stamp: true,
      },
      AS_SERVER,
    );
    return this.local() ?? { ...this.initial, CreateIndex: 0, ModifyIndex: 0 };
  }

  /** Replace the configuration; with `cas`, only over the stored ModifyIndex `cas`. Resolves whether it was written. */
  async set(config: AutopilotConfig, cas?: number): Promise<boolean> {
    if (cas !== undefined) await this.getOrCreate();
    const r = await this.rpc.write(
      {
        v: 1,
        type: 'system-meta-set',
        Key: AUTOPILOT_META_KEY,
        Value: { ...config },
        Stamp: true,
        ...(cas !== undefined ? { Cas: cas } : {}),
      },
      AS_SERVER,
    );
    return r.value === true;
  }
}
