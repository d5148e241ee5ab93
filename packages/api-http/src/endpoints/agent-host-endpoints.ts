import { statfsSync } from 'node:fs';
import * as os from 'node:os';
import { CONSUL_COMPAT_VERSION, PROCONSUL_VERSION, type HttpEndpoint } from '@proconsul/kernel';
import { authorize, require, route, type EndpointDeps } from './endpoint-support.js';

/**
 * `GET /v1/agent/host` (operator:read, as in Consul: it reveals the host) and
 * `GET /v1/agent/version` (no ACL). Host facts use the field names of Consul's answer
 * (gopsutil's JSON: `Memory.total`, `Host.hostname`, `Disk.usedPercent`, …); `Errors`
 * lists what could not be collected instead of failing the request.
 */
export function agentHostEndpoints(deps: EndpointDeps): HttpEndpoint[] {
  return [
    route('GET', '/v1/agent/host', async (req) => {
      require(await authorize(deps, req), 'operator', '', 'read');
      return { body: hostInfo(deps.config.dataDir) };
    }),
    route('GET', '/v1/agent/version', async () => ({
      body: {
        SHA: `proconsul-${PROCONSUL_VERSION}`,
        BuildDate: '',
        HumanVersion: CONSUL_COMPAT_VERSION,
        FIPS: '',
      },
    })),
  ];
}

function hostInfo(dataDir: string): Record<string, unknown> {
  const errors: string[] = [];
  const total = os.totalmem();
  const free = os.freemem();
  const cpus = os.cpus();
  const bootTime = Math.floor(Date.now() / 1000 - os.uptime());
  let disk: Record<string, unknown> | null = null;
  const path = dataDir || '/';
  try {
    const s = statfsSync(path);
    const size = s.blocks * s.bsize;
    const avail = s.bavail * s.bsize;
    const used = size - s.bfree * s.bsize;
    disk = {
      path,
      fstype: '',
      total: size,
      free: avail,
      used,
      usedPercent: used + avail > 0 ? (used / (used + avail)) * 100 : 0,
      inodesTotal: s.files,
      inodesUsed: s.files - s.ffree,
      inodesFree: s.ffree,
      inodesUsedPercent: s.files > 0 ? ((s.files - s.ffree) / s.files) * 100 : 0,
    };
  } catch (e) {
    errors.push(`disk usage of ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return {
    Memory: { total, available: free, used: total - free, usedPercent: total > 0 ? ((total - free) / total) * 100 : 0, free },
    CPU: cpus.map((c, i) => ({ cpu: i, modelName: c.model, mhz: c.speed, cores: 1 })),
    Host: {
      hostname: os.hostname(),
      uptime: Math.floor(os.uptime()),
      bootTime,
      os: os.platform(),
      platform: os.type(),
      kernelVersion: os.release(),
      kernelArch: os.arch(),
    },
    Disk: disk,
    CollectionTime: Date.now() * 1_000_000,
    Errors: errors.length > 0 ? errors : null,
  };
}
