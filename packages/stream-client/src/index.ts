export { subscribe, type SubscribeOptions, type StreamTls } from './subscribe.js';
export { SseParser, type SseFrame } from './sse-parser.js';
export {
  StreamDeniedError,
  StreamRequestError,
  type AllEntry,
  type KvEntry,
  type NodeInfoEntry,
  type NodeEntry,
  type ServiceHealthEntry,
  type ServiceListEntry,
  type StreamEvent,
  type Topic,
  type TopicItems,
} from './stream-types.js';
