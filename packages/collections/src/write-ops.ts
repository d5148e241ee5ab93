import { BadRequest, type WriteOp } from '@proconsul/kernel';

/**
 * Rejects a malformed batch before any of it is applied, so one bad op cannot leave a
 * batch half-done and engines report the same error for the same mistake.
 */
export function checkWriteOps(ops: readonly WriteOp[]): void {
  if (!Array.isArray(ops)) throw BadRequest('write ops must be an array');
  ops.forEach((op, i) => {
    if (op === null || typeof op !== 'object') throw BadRequest(`write op ${i} is not an object`);
    if (!(op.key instanceof Uint8Array)) throw BadRequest(`write op ${i}: key must be a Uint8Array`);
    if (op.type === 'put') {
      if (!(op.value instanceof Uint8Array)) throw BadRequest(`write op ${i}: value must be a Uint8Array`);
    } else if (op.type === 'delRange') {
      if (!(op.end instanceof Uint8Array)) throw BadRequest(`write op ${i}: end must be a Uint8Array`);
    } else if (op.type !== 'del') {
      throw BadRequest(`write op ${i}: type must be "put", "del" or "delRange"`);
    }
  });
}
