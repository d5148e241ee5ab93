import {
  NullLogger,
  systemClock,
  type CheckResult,
  type CheckRunContext,
  type CheckStatus,
  type CheckType,
  type Clock,
  type Logger,
} from '@proconsul/kernel';
import { buildCheckDefinition, type CheckDefinition } from './check-definition.js';
import { CheckNotFound, CheckNotTtl } from './check-errors.js';
import { pascalKeys } from './check-keys.js';
import { truncateOutput } from './check-output.js';
import { CheckTypeResolver } from './check-type-resolver.js';
import { DeregisterReaper } from './deregister-reaper.js';
import { RunSlots } from './run-slots.js';
import { ScheduledCheck } from './scheduled-check.js';
import { StatusThresholds } from './status-thresholds.js';
import { TtlCheck, type TtlState } from './ttl-check.js';

export type CheckSource = CheckRunContext['source'];

export interface CheckRunnerOptions {
  /** The bound plugins: `container.getAll(CheckType)`. ttl is built in. */
  readonly types: readonly CheckType[];
  /**
   * Every status/output change of a registered check (not the initial status, which add()
   * returns). Called on the event loop, synchronously from the runner; must not throw.
   */
  readonly onUpdate: (checkId: string, status: CheckStatus, output: string) => void;
  /** deregister_critical_service_after fired for this service; the agent removes it (and its checks). */
  readonly deregisterService?: (serviceId: string, checkId: string) => void;
  readonly logger?: Logger;
  readonly clock?: Clock;
  /** [0,1) source for the start stagger; injectable so tests are replayable. */
  readonly random?: () => number;
}

/** A check as the runner holds it. */
export interface RegisteredCheck {
  readonly definition: CheckDefinition;
  readonly type: string;
  readonly source: CheckSource;
  readonly status: CheckStatus;
  readonly output: string;
}

interface Entry {
  definition: CheckDefinition;
  type: CheckType;
  source: CheckSource;
  status: CheckStatus;
  output: string;
  scheduled?: ScheduledCheck;
  ttl?: TtlCheck;
  watching?: AbortController;
}

/**
 * Runs the agent's health checks, keyed by CheckID. All methods are called from the event
 * loop; probes of different checks run concurrently, one check's probes never overlap.
 */
export class CheckRunner {
  private readonly entries = new Map<string, Entry>();
  private readonly resolver: CheckTypeResolver;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly logger: Logger;
  private readonly reaper: DeregisterReaper;
  private readonly slots: RunSlots;

  constructor(private readonly opts: CheckRunnerOptions) {
    this.resolver = new CheckTypeResolver(opts.types);
    this.clock = opts.clock ?? systemClock;
    this.random = opts.random ?? Math.random;
    this.logger = (opts.logger ?? new NullLogger()).named('checks');
    this.reaper = new DeregisterReaper((serviceId, checkId) => this.reapService(serviceId, checkId), this.clock);
    this.slots = new RunSlots(this.clock);
  }

  /** Check types that can be registered (built-in ttl first). */
  get loadedTypes(): readonly string[] {
    return this.resolver.loaded;
  }

  /**
   * Validate, normalise and start a check. Raw field names may be in any case (HTTP/http,
   * Args/ScriptArgs, deregister_critical_service_after…). Replaces a check with the same
   * ID, keeping its current status and output unless the new definition sets Status.
   * Throws a coded 400 (CHECK_DEFINITION_INVALID, CHECK_TYPE_UNSUPPORTED, CHECK_TYPE_MISSING
   * or a type's own) and changes nothing when the definition is refused.
   */
  add(raw: Readonly<Record<string, unknown>>, source: CheckSource, restore?: TtlState): RegisteredCheck {
    const fields = pascalKeys(raw);
    const type = this.resolver.resolve(fields);
    const definition = buildCheckDefinition(fields, {
      passive: type.passive,
      defaultTimeoutMs: type.defaultTimeoutMs,
      warn: (m) => this.logger.warn(m),
    });
    this.resolver.validateSchema(type, definition);
    const context: CheckRunContext = { source };
    type.validate?.(definition, context);

    const id = definition.CheckID;
    const previous = this.entries.get(id);
    if (previous) this.halt(previous);
    const keep = previous && fields['Status'] === undefined;
    const entry: Entry = {
      definition,
      type,
      source,
      status: keep ? previous.status : definition.Status,
      output: keep ? previous.output : '',
    };
    this.entries.set(id, entry);

    if (definition.DeregisterCriticalServiceAfterMs > 0 && definition.ServiceID !== '') {
      this.reaper.track(id, definition.ServiceID, definition.DeregisterCriticalServiceAfterMs, entry.status);
    } else {
      this.reaper.untrack(id);
    }

    if (type.watch) {
      entry.watching = new AbortController();
      type.watch(
        definition,
        (r) => this.set(entry, r.status, truncateOutput(r.output, definition.OutputMaxSize)),
        entry.watching.signal,
      );
    } else if (type.passive) {
      if (definition.TtlMs > 0) {
        entry.ttl = new TtlCheck(
          definition.TtlMs,
          this.clock,
          (s, o) => this.set(entry, s, o),
          entry.status,
          definition.OutputMaxSize,
        );
        if (restore) entry.ttl.restore(restore);
      }
    } else {
      const thresholds = new StatusThresholds(
        definition.SuccessBeforePassing,
        definition.FailuresBeforeWarning,
        definition.FailuresBeforeCritical,
      );
      const report = (r: CheckResult) => {
        const status = thresholds.apply(r.status);
        if (status === undefined) {
          this.logger.debug('check result held back by threshold', { check: id, status: r.status });
          return;
        }
        this.set(entry, status, truncateOutput(r.output, definition.OutputMaxSize));
      };
      entry.scheduled = new ScheduledCheck(definition, type, context, this.clock, report, this.slots);
      // Consul's RandomStagger: spread first runs over one interval so checks registered together do not fire together.
      entry.scheduled.start(Math.floor(this.random() * definition.IntervalMs));
    }
    this.logger.debug('check registered', { check: id, type: type.type, source });
    return this.view(entry);
  }

  /** Replace an existing check's definition (404 when unknown). */
  update(raw: Readonly<Record<string, unknown>>, source: CheckSource): RegisteredCheck {
    const id = pascalKeys(raw);
    const checkId = (id['CheckID'] ?? id['Name']) as string | undefined;
    if (checkId === undefined || !this.entries.has(checkId)) throw CheckNotFound(String(checkId ?? ''));
    return this.add(raw, source);
  }

  /** Stop and forget a check; resolves once its in-flight probe (if any) has settled. False if unknown. */
  async remove(checkId: string): Promise<boolean> {
    const entry = this.entries.get(checkId);
    if (!entry) return false;
    this.entries.delete(checkId);
    this.reaper.untrack(checkId);
    await this.halt(entry);
    return true;
  }

  /** Stop every check (agent shutdown); resolves when no probe is running. */
  async stopAll(): Promise<void> {
    const all = [...this.entries.values()];
    this.entries.clear();
    this.reaper.stop();
    await Promise.all(all.map((e) => this.halt(e)));
  }

  get(checkId: string): RegisteredCheck | undefined {
    const e = this.entries.get(checkId);
    return e && this.view(e);
  }

  list(): RegisteredCheck[] {
    return [...this.entries.values()].map((e) => this.view(e));
  }

  /** /agent/check/update/:id — and pass/warn/fail below. Returns the stored (truncated) output. */
  updateTtl(checkId: string, status: CheckStatus, output = ''): string {
    return this.ttlOf(checkId).update(status, output);
  }
  pass(checkId: string, note = ''): string {
    return this.updateTtl(checkId, 'passing', note);
  }
  warn(checkId: string, note = ''): string {
    return this.updateTtl(checkId, 'warning', note);
  }
  fail(checkId: string, note = ''): string {
    return this.updateTtl(checkId, 'critical', note);
  }

  /** Persistable state of a TTL check (undefined for other types), for restore via add(…, restore). */
  ttlState(checkId: string): TtlState | undefined {
    return this.entries.get(checkId)?.ttl?.state();
  }

  private ttlOf(checkId: string): TtlCheck {
    const e = this.entries.get(checkId);
    if (!e) throw CheckNotFound(checkId);
    if (!e.ttl) throw CheckNotTtl(checkId);
    return e.ttl;
  }

  private set(entry: Entry, status: CheckStatus, output: string): void {
    const id = entry.definition.CheckID;
    if (this.entries.get(id) !== entry) return; // replaced or removed meanwhile
    if (entry.status === status && entry.output === output) return;
    entry.status = status;
    entry.output = output;
    this.reaper.noteStatus(id, status);
    this.opts.onUpdate(id, status, output);
  }

  private halt(entry: Entry): Promise<void> {
    entry.ttl?.stop();
    entry.watching?.abort();
    return entry.scheduled?.stop() ?? Promise.resolve();
  }

  private reapService(serviceId: string, checkId: string): void {
    this.logger.info('deregistering service: critical for longer than deregister_critical_service_after', {
      service: serviceId,
      check: checkId,
    });
    if (!this.opts.deregisterService) return;
    try {
      this.opts.deregisterService(serviceId, checkId);
    } catch (err) {
      this.logger.error('failed to deregister critical service', { service: serviceId, error: err });
      throw err;
    }
  }

  private view(e: Entry): RegisteredCheck {
    return { definition: e.definition, type: e.type.type, source: e.source, status: e.status, output: e.output };
  }
}
