import { BadRequest, defineError, type HttpEndpoint, type TxnOp, type TxnResponse } from '@proconsul/kernel';
import { canonicalKeys, parseJsonBody, datacenterTarget } from '@proconsul/http';
import { authorize, require, route, type EndpointDeps } from './endpoint-support.js';
import { normaliseCheckInput, normaliseServiceInput } from './registration-input.js';
import { kvJson, uint } from './kv-endpoint.js';

const MAX_OPS = 64; // Consul's limit per transaction
const TooManyOps = defineError(
  'TXN_TOO_MANY_OPS',
  413,
  (n: number) => `Transaction contains too many operations (${n} > ${MAX_OPS})`,
);

/** `PUT /v1/txn`: KV and catalog operations applied atomically; 409 with per-op Errors when any fails. */
export function txnEndpoint(deps: EndpointDeps): HttpEndpoint {
  return route('PUT', '/v1/txn', async (req) => {
    if (req.body.length > deps.config.txnMaxReqLen) throw defineError('TXN_TOO_LARGE', 413, () => 'Request body too large')();
    let raw: unknown;
    try {
      raw = req.body.toString('utf8').trim() === '' ? null : parseJsonBody(req.body);
    } catch (e) {
      throw BadRequest(`Failed to parse body: ${(e as Error).message.replace(/^Request decode failed: /, '')}`);
    }
    if (!Array.isArray(raw)) throw BadRequest('Failed to parse body: expected a JSON array of operations');
    if (raw.length > MAX_OPS) throw TooManyOps(raw.length);
    const authz = await authorize(deps, req);
    const ops = raw.map((op, i) => toOp(op, i));
    for (const op of ops) {
      if (op.KV)
        require(authz, 'key', op.KV.Key, op.KV.Verb.startsWith('get') || op.KV.Verb.startsWith('check') ? 'read' : 'write');
      if (op.Node) require(authz, 'node', op.Node.Node.Node, op.Node.Verb === 'get' ? 'read' : 'write');
      if (op.Service) require(authz, 'service', op.Service.Service.Service, op.Service.Verb === 'get' ? 'read' : 'write');
    }
    const r = await deps.rpc.write({ v: 1, type: 'txn', Ops: ops, now: 0 }, { token: req.token }, datacenterTarget(req));
    const result = r.value as TxnResponse;
    const res = result.Results
      ? { ...result, Results: result.Results.map((x) => (x.KV ? { ...x, KV: kvJson(x.KV) } : x)) }
      : result;
    return { status: res.Errors ? 409 : 200, body: res, headers: { 'X-Consul-Index': String(r.index) } };
  });
}

function toOp(raw: unknown, i: number): TxnOp {
  if (!raw || typeof raw !== 'object') throw BadRequest(`Operation ${i} is not an object`);
  const op = canonicalKeys(raw as Record<string, unknown>, ['KV', 'Node', 'Service', 'Check', 'Session']);
  const kinds = ['KV', 'Node', 'Service', 'Check', 'Session'].filter((k) => op[k] !== undefined && op[k] !== null);
  const kvRaw = op['KV'];
  if (kvRaw) {
    const kv = canonicalKeys(obj(kvRaw, i, 'KV'), ['Verb', 'Key', 'Value', 'Flags', 'Index', 'Session']);
    if (typeof kv['Verb'] !== 'string' || typeof kv['Key'] !== 'string')
      throw BadRequest(`Operation ${i}: KV needs Verb and Key`);
    const value = kv['Value'];
    if (value !== undefined && value !== null && typeof value !== 'string')
      throw BadRequest(`Operation ${i}: KV Value must be base64`);
    return {
      KV: {
        Verb: kv['Verb'] as NonNullable<TxnOp['KV']>['Verb'],
        Key: kv['Key'],
        Value: typeof value === 'string' ? new Uint8Array(Buffer.from(value, 'base64')) : null,
        ...(kv['Flags'] !== undefined ? { Flags: uint(String(kv['Flags']), 'Flags') ?? 0 } : {}),
        ...(kv['Index'] !== undefined ? { Index: Number(kv['Index']) } : {}),
        ...(kv['Session'] ? { Session: String(kv['Session']) } : {}),
      },
    };
  }
  if (kinds.length !== 1) throw BadRequest(`Operation ${i} must have exactly one of KV, Node, Service, Check, Session`);
  const body = canonicalKeys(obj(op[kinds[0]!], i, kinds[0]!), ['Verb', 'Node', 'Service', 'Check', 'Session']);
  const verb = body['Verb'] as never;
  if (typeof verb !== 'string') throw BadRequest(`Operation ${i}: missing Verb`);
  switch (kinds[0]) {
    case 'Node':
      return {
        Node: {
          Verb: verb,
          Node: canonicalKeys(obj(body['Node'], i, 'Node.Node'), [
            'ID',
            'Node',
            'Address',
            'Datacenter',
            'TaggedAddresses',
            'Meta',
            'ModifyIndex',
          ]) as never,
        },
      };
    case 'Service': {
      const svc = obj(body['Service'], i, 'Service.Service');
      return {
        Service: {
          Verb: verb,
          Node: String(body['Node'] ?? ''),
          Service: { ...normaliseServiceInput(svc), ...modifyIndex(svc) },
        },
      };
    }
    case 'Check': {
      const chk = obj(body['Check'], i, 'Check.Check');
      const input = normaliseCheckInput(chk);
      return { Check: { Verb: verb, Check: { ...input, Node: input.Node ?? '', ...modifyIndex(chk) } } };
    }
    default:
      return {
        Session: {
          Verb: verb,
          Session: { ID: String(canonicalKeys(obj(body['Session'], i, 'Session.Session'), ['ID'])['ID'] ?? '') },
        },
      };
  }
}

function obj(v: unknown, i: number, what: string): Record<string, unknown> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw BadRequest(`Operation ${i}: ${what} must be an object`);
  return v as Record<string, unknown>;
}

function modifyIndex(raw: Record<string, unknown>): { ModifyIndex?: number } {
  const v = canonicalKeys(raw, ['ModifyIndex'])['ModifyIndex'];
  return v === undefined ? {} : { ModifyIndex: Number(v) };
}
