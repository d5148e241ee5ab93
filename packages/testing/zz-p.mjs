const t0 = performance.now();
const { startTestAgent } = await import('@proconsul/testing');
const t1 = performance.now();
const a = await startTestAgent();
const t2 = performance.now();
console.log('import', (t1-t0).toFixed(0), 'first', (t2-t1).toFixed(0));
await a.stop();
