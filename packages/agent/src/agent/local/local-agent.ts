import { CheckNotFound } from '../../checks/check-errors.js';
import { pascalKeys } from '../../checks/check-keys.js';
import { CheckRunner } from '../../checks/check-runner.js';
import {
  isMaintenanceCheck,
  NODE_MAINTENANCE_CHECK_ID,
  SerialQueue,
  type AddServiceOptions,
  type CheckStatus,
  type CheckType,
  type Clock,
  type LocalSource,
  type Logger,
} from '@proconsul/kernel';
import { deepEqual } from '@proconsul/state';
import { healthCheckOf, withService } from './check-record.js';
import { CheckValidator } from './check-validator.js';
import { CheckServiceMissing, UnknownService } from './local-errors.js';
import { LocalPersistence } from './local-persistence.js';
import { LocalState } from './local-state.js';
import { nodeMaintenanceCheck, serviceMaintenanceCheck, serviceMaintenanceCheckId } from './maintenance-checks.js';
import { parseServiceDefinition } from './service-definition.js';

export interface LocalAgentOptions {
  readonly dataDir: string;
  readonly types: readonly CheckType[];
  readonly logger: Logger;
  readonly clock?: Clock;
  readonly random?: () => number;
  /** check_update_interval (0 or absent: every output change is written at the next sync). */
  readonly checkUpdateIntervalMs?: number;
}

/**
 * The agent's own services and checks: registration (config files and the agent API),
 * the check runner feeding statuses into LocalState, maintenance mode, and persistence of
 * API registrations. Mutations are serialised (one at a time, in arrival order) because
 * validating a definition awaits; reads go straight to `state`.
 */
export class LocalAgent {
  readonly state: LocalState;
  readonly runner: CheckRunner;
  private readonly validator: CheckValidator;
  private readonly persistence: LocalPersistence;
  private readonly log: Logger;
  /** Registrations and removals, one at a time. */
  private readonly queue = new SerialQueue();

  constructor(opts: LocalAgentOptions) {
    const clock = opts.clock;
    this.state = new LocalState({
      checkUpdateIntervalMs: opts.checkUpdateIntervalMs ?? 0,
      ...(clock ? { now: () => clock.now() } : {}),
    });
    this.log = opts.logger.named('local');
    this.persistence = new LocalPersistence(opts.dataDir, this.log);
    this.validator = new CheckValidator(opts.types);
    this.runner = new CheckRunner({
      types: opts.types,
      logger: opts.logger,
      ...(opts.clock ? { clock: opts.clock } : {}),
      ...(opts.random ? { random: opts.random } : {}),
      onUpdate: (id, status, output) => this.state.updateCheck(id, status, output),
      deregisterService: (serviceId) => {
        this.removeService(serviceId).catch((e: unknown) =>
          this.log.error('reaping service failed', { service: serviceId, error: e }),
        );
      },
    });
  }

  /** Register (or replace) a service and its checks. Refused as a whole (coded 400) if any part is invalid. */
  addService(raw: Readonly<Record<string, unknown>>, source: LocalSource, opts: AddServiceOptions = {}): Promise<void> {
    return this.exclusive(() => this.addServiceNow(raw, source, opts));
  }

  /** Remove a service with its checks; 404 when unknown. */
  removeService(id: string): Promise<void> {
    return this.exclusive(async () => {
      if (!this.state.service(id)) throw UnknownService(id);
      await this.removeServiceNow(id);
    });
  }

  /** Register (or replace) a check; a service check needs its service registered here. */
  addCheck(raw: Readonly<Record<string, unknown>>, source: LocalSource, token?: string): Promise<void> {
    return this.exclusive(() => this.addCheckNow(pascalKeys(raw), source, token));
  }

  removeCheck(id: string): Promise<void> {
    return this.exclusive(async () => {
      if (!this.state.check(id)) throw CheckNotFound(id);
      await this.removeCheckNow(id, true);
    });
  }

  /** TTL update from the API (pass/warn/fail/update). 404 unknown check, 500 not a TTL check. Persists the TTL state. */
  updateTtl(id: string, status: CheckStatus, output: string): string {
    const stored = this.runner.updateTtl(id, status, output);
    const ttl = this.runner.ttlState(id);
    if (ttl) this.persistence.saveTtlState(id, ttl);
    return stored;
  }

  setServiceMaintenance(serviceId: string, enable: boolean, reason: string): Promise<void> {
    return this.exclusive(async () => {
      const s = this.state.service(serviceId);
      if (!s) throw UnknownService(serviceId);
      const id = serviceMaintenanceCheckId(serviceId);
      if (!enable) return this.removeStatic(id);
      if (this.state.check(id)) return; // Consul: enabling twice keeps the first reason
      this.putStatic(serviceMaintenanceCheck(s.service, reason));
      this.log.info('service entered maintenance mode', { service: serviceId });
    });
  }

  setNodeMaintenance(enable: boolean, reason: string): Promise<void> {
    return this.exclusive(async () => {
      if (!enable) return this.removeStatic(NODE_MAINTENANCE_CHECK_ID);
      if (this.state.check(NODE_MAINTENANCE_CHECK_ID)) return;
      this.putStatic(nodeMaintenanceCheck(reason));
      this.log.info('node entered maintenance mode');
    });
  }

  /**
   * Bring config-sourced services and checks to `services`/`checks` (startup and reload):
   * identical definitions are left alone (their checks keep status and schedule), changed
   * ones re-registered, vanished ones removed. On startup, persisted API registrations are
   * restored afterwards; a config entry wins over a persisted one with the same ID.
   */
  applyConfig(
    services: readonly Readonly<Record<string, unknown>>[],
    checks: readonly Readonly<Record<string, unknown>>[],
    restore = false,
  ): Promise<void> {
    return this.exclusive(async () => {
      const parsed = services.map((s) => parseServiceDefinition(s));
      const standalone = checks.map((c) => pascalKeys(c));
      const wanted = new Set(parsed.map((p) => p.service.ID));
      // Every config check ID, standalone or in a service: a re-registered service must not drop standalone ones.
      const configChecks = new Set([...standalone.map(checkIdOf), ...parsed.flatMap((p) => p.checks.map(checkIdOf))]);
      for (const s of this.state.services())
        if (s.source === 'config' && !wanted.has(s.service.ID)) await this.removeServiceNow(s.service.ID);
      for (const c of this.state.checks()) {
        if (c.source === 'config' && !configChecks.has(c.check.CheckID)) await this.removeCheckNow(c.check.CheckID, true);
      }
      for (const p of parsed) await this.addServiceNow(p.definition, 'config', {});
      if (restore) await this.restoreServices();
      for (const c of standalone) await this.addCheckNow(c, 'config');
      if (restore) await this.restoreChecks();
    });
  }

  /** Stop every check (agent shutdown). */
  async stop(): Promise<void> {
    await this.queue.run(async () => {});
    await this.runner.stopAll();
  }

  private async addServiceNow(
    raw: Readonly<Record<string, unknown>>,
    source: LocalSource,
    opts: AddServiceOptions,
  ): Promise<void> {
    const { service, checks } = parseServiceDefinition(raw);
    for (const c of checks) if (!this.unchanged(c, source)) await this.validator.validate(c, source);
    this.state.setService({ service, source, ...(opts.token ? { token: opts.token } : {}) });
    for (const c of this.state.checksOfService(service.ID)) {
      this.state.setCheck({ ...c, check: withService(c.check, service) });
    }
    // A service's own checks are written to the catalog with the service's token, as Consul
    // registers them: without it a status change went out with the default token alone.
    for (const c of checks) this.startCheck(c, source, opts.token);
    if (opts.replaceExistingChecks) {
      const keep = new Set(checks.map((c) => c['CheckID'] as string));
      for (const c of this.state.checksOfService(service.ID)) {
        if (c.source === source && c.definition && !keep.has(c.check.CheckID)) await this.removeCheckNow(c.check.CheckID, true);
      }
    }
    if (source === 'api')
      this.persistence.saveService(service.ID, {
        Source: 'api',
        Service: { ...service },
        ...(opts.token ? { Token: opts.token } : {}),
      });
    else this.persistence.deleteService(service.ID);
  }

  private async removeServiceNow(id: string): Promise<void> {
    for (const c of this.state.checksOfService(id)) await this.removeCheckNow(c.check.CheckID, false);
    this.state.removeService(id);
    this.persistence.deleteService(id);
  }

  private async addCheckNow(c: Record<string, unknown>, source: LocalSource, token?: string): Promise<void> {
    const serviceId = typeof c['ServiceID'] === 'string' ? c['ServiceID'] : '';
    if (serviceId && !this.state.service(serviceId)) throw CheckServiceMissing(serviceId);
    if (!this.unchanged(c, source)) await this.validator.validate(c, source);
    this.startCheck(c, source, token);
  }

  /** Start (or keep, when identical) a validated check and record it. */
  private startCheck(def: Record<string, unknown>, source: LocalSource, token?: string): void {
    const id = checkIdOf(def);
    const service = this.state.service((def['ServiceID'] as string | undefined) ?? '')?.service;
    const existing = this.state.check(id);
    const withToken = token ? { token } : existing?.token ? { token: existing.token } : {};
    if (existing && this.unchanged(def, source)) {
      this.state.setCheck({ ...existing, ...withToken, check: withService(existing.check, service) });
      return;
    }
    const r = this.runner.add(def, source, this.persistence.ttlState(id));
    this.state.setCheck({ check: healthCheckOf(r, service), source, definition: def, ...withToken });
    if (source === 'api')
      this.persistence.saveCheck(id, { Source: 'api', Check: def, ...(withToken.token ? { Token: withToken.token } : {}) });
  }

  private unchanged(def: Readonly<Record<string, unknown>>, source: LocalSource): boolean {
    const existing = this.state.check(checkIdOf(def));
    return existing !== undefined && existing.source === source && deepEqual(existing.definition, def);
  }

  private async removeCheckNow(id: string, tombstone: boolean): Promise<void> {
    await this.runner.remove(id);
    this.state.removeCheck(id, tombstone);
    this.persistence.deleteCheck(id);
  }

  private putStatic(check: ReturnType<typeof nodeMaintenanceCheck>): void {
    this.state.setCheck({ check, source: 'api' });
    this.persistence.saveCheck(check.CheckID, { Source: 'api', Static: check });
  }

  private removeStatic(id: string): void {
    this.state.removeCheck(id);
    this.persistence.deleteCheck(id);
  }

  private async restoreServices(): Promise<void> {
    for (const p of this.persistence.services()) {
      const id = String(p.Service['ID'] ?? '');
      if (this.state.service(id)?.source === 'config') {
        this.persistence.deleteService(id); // config wins over what the API once registered (Consul)
        continue;
      }
      await this.tryRestore('service', id, () => this.addServiceNow(p.Service, 'api', p.Token ? { token: p.Token } : {}));
    }
  }

  private async restoreChecks(): Promise<void> {
    for (const p of this.persistence.checks()) {
      if ('Static' in p) {
        const c = p.Static;
        if (c.ServiceID && !this.state.service(c.ServiceID)) continue;
        // Saved by an older version with status "maintenance": Consul's is critical.
        if (isMaintenanceCheck(c.CheckID)) this.state.setCheck({ check: { ...c, Status: 'critical' }, source: 'api' });
        continue;
      }
      const id = checkIdOf(p.Check);
      if (this.state.check(id)?.source === 'config') {
        this.persistence.deleteCheck(id);
        continue;
      }
      await this.tryRestore('check', id, () => this.addCheckNow(p.Check, 'api', p.Token));
    }
  }

  /** A persisted entry the agent now refuses (say script checks were disabled) is skipped, not fatal. */
  private async tryRestore(what: string, id: string, fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (e) {
      this.log.warn(`failed to restore persisted ${what}, skipping it`, { id, error: e });
    }
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return this.queue.run(fn);
  }
}

/** The ID the runner will give a (PascalCase) check: CheckID, else Name, else "service:<ServiceID>". */
export function checkIdOf(def: Readonly<Record<string, unknown>>): string {
  const str = (k: string) => (typeof def[k] === 'string' ? (def[k] as string) : '');
  return str('CheckID') || str('Name') || (str('ServiceID') ? `service:${str('ServiceID')}` : '');
}
