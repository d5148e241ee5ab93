export * from './archive-format.js';
export * from './archive-errors.js';
export * from './archive-writer.js';
export * from './archive-reader.js';
