/**
 * ajv, shared: packages validate JSON with the kernel's copy rather than each depending on
 * ajv. npm cannot hoist one ajv 8 above a workspace whose tooling has ajv 6, so separate
 * dependencies meant four copies in an agent process, each ~60 modules to load and its own
 * JIT warm-up (a measurable share of a test agent's first start).
 */
export { Ajv, type Options as AjvOptions, type ValidateFunction } from 'ajv';
