import { holdYoungGeneration } from './young-generation.js';

// Imported first by main.ts, so it runs before any other module is loaded: `proconsul agent`
// starts as if it were a client (most agents are); the agent command releases a server.
if (process.argv[2] === 'agent') holdYoungGeneration();
