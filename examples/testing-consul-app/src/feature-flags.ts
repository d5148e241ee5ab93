import type Consul from 'consul';

/** Feature flags kept in Consul KV under `features/`: "on" enables, anything else or absence disables. */
export class FeatureFlags {
  constructor(private readonly consul: Consul) {}

  async isEnabled(flag: string): Promise<boolean> {
    const item = await this.consul.kv.get(`features/${flag}`);
    return item !== null && item !== undefined && item.Value === 'on';
  }

  async set(flag: string, enabled: boolean): Promise<void> {
    await this.consul.kv.set(`features/${flag}`, enabled ? 'on' : 'off');
  }
}
