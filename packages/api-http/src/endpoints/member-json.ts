import type { Member } from '@proconsul/kernel';

const STATUS_CODES: Record<Member['status'], number> = { none: 0, alive: 1, leaving: 2, left: 3, failed: 4 };

/** A member as Consul's /v1/agent/members returns it (Status numeric, as serf's MemberStatus). */
export function memberJson(m: Member): Record<string, unknown> {
  return {
    Name: m.name,
    Addr: m.addr,
    Port: m.port,
    Tags: m.tags,
    Status: STATUS_CODES[m.status],
    ProtocolMin: m.protocolMin,
    ProtocolMax: m.protocolMax,
    ProtocolCur: m.protocolCur,
    DelegateMin: m.delegateMin,
    DelegateMax: m.delegateMax,
    DelegateCur: m.delegateCur,
  };
}
