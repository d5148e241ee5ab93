/**
 * The two messages of grpc.health.v1, hand-encoded (no protobuf library needed):
 *   HealthCheckRequest  { string service = 1; }
 *   HealthCheckResponse { ServingStatus status = 1; }  (UNKNOWN 0, SERVING 1, NOT_SERVING 2, SERVICE_UNKNOWN 3)
 * and gRPC's length-prefixed message framing: 1 byte compressed flag, 4 bytes big-endian length.
 */

export const SERVING_STATUS = ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'] as const;

/** A framed HealthCheckRequest. An empty service asks about the server as a whole. */
export function encodeHealthRequest(service: string): Buffer {
  const name = Buffer.from(service, 'utf8');
  // proto3 omits default (empty) fields.
  const body = name.length === 0 ? Buffer.alloc(0) : Buffer.concat([Buffer.from([0x0a]), varint(name.length), name]);
  const frame = Buffer.alloc(5 + body.length);
  frame.writeUInt8(0, 0);
  frame.writeUInt32BE(body.length, 1);
  body.copy(frame, 5);
  return frame;
}

/** The status number in the first framed message of `data`; throws on a malformed or compressed frame. */
export function decodeHealthResponse(data: Buffer): number {
  if (data.length < 5) throw new Error('response has no complete gRPC message');
  if (data[0] !== 0) throw new Error('compressed gRPC message not supported');
  const len = data.readUInt32BE(1);
  if (data.length < 5 + len) throw new Error('truncated gRPC message');
  const msg = data.subarray(5, 5 + len);
  let status = 0; // proto3 default when the field is absent: UNKNOWN
  let i = 0;
  while (i < msg.length) {
    const [key, afterKey] = readVarint(msg, i);
    const field = key >>> 3;
    const wire = key & 7;
    i = afterKey;
    if (wire === 0) {
      const [v, next] = readVarint(msg, i);
      if (field === 1) status = v;
      i = next;
    } else if (wire === 2) {
      const [n, next] = readVarint(msg, i);
      i = next + n;
    } else if (wire === 1) i += 8;
    else if (wire === 5) i += 4;
    else throw new Error(`unsupported protobuf wire type ${wire}`);
  }
  return status;
}

function varint(n: number): Buffer {
  const bytes: number[] = [];
  while (n > 0x7f) {
    bytes.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  bytes.push(n);
  return Buffer.from(bytes);
}

function readVarint(buf: Buffer, start: number): [value: number, next: number] {
  let value = 0;
  let shift = 0;
  for (let i = start; i < buf.length; i++) {
    const b = buf[i]!;
    value += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) return [value, i + 1];
    shift += 7;
    if (shift > 63) break;
  }
  throw new Error('malformed protobuf varint');
}

/** gRPC status code names, for Go-style "rpc error: code = X desc = …" output. */
export const GRPC_CODES = [
  'OK',
  'Canceled',
  'Unknown',
  'InvalidArgument',
  'DeadlineExceeded',
  'NotFound',
  'AlreadyExists',
  'PermissionDenied',
  'ResourceExhausted',
  'FailedPrecondition',
  'Aborted',
  'OutOfRange',
  'Unimplemented',
  'Internal',
  'Unavailable',
  'DataLoss',
  'Unauthenticated',
] as const;

/** "host:port[/service]" → the HTTP/2 authority and the service to ask about. */
export function decodeHealthRequestTarget(target: string): { authority: string; service: string } {
  const slash = target.indexOf('/');
  return slash < 0 ? { authority: target, service: '' } : { authority: target.slice(0, slash), service: target.slice(slash + 1) };
}
