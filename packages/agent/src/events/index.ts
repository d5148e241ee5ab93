export * from './event-errors.js';
export * from './user-event.js';
export * from './user-event-filter.js';
export * from './user-event-buffer.js';
export * from './user-events.js';
export * from './events-module.js';
