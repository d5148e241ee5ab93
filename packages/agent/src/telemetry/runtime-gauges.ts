import { PerformanceObserver } from 'node:perf_hooks';
import type { GaugeReading, MetricsRegistry } from '@proconsul/kernel';

/**
 * Consul's `runtime.*` gauges from the Node process: Go's heap and system bytes become the
 * V8 heap in use and the RSS, goroutines become active libuv resources, and GC runs and
 * pauses come from the garbage-collection performance entries (`runtime.gc_pause_ns` is a
 * sample per collection). Returns the function that stops observing.
 */
export function startRuntimeGauges(registry: MetricsRegistry): () => void {
  let runs = 0;
  let pauseNs = 0;
  let observer: PerformanceObserver | undefined;
  try {
    observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        const ns = Math.round(e.duration * 1e6);
        runs++;
        pauseNs += ns;
        registry.addSample('runtime.gc_pause_ns', ns);
      }
    });
    observer.observe({ entryTypes: ['gc'] });
  } catch {
    observer = undefined; // no GC entries on this runtime: the counts stay 0
  }
  const off = registry.addGaugeSource(function* (): Iterable<GaugeReading> {
    const mem = process.memoryUsage();
    yield { name: 'runtime.alloc_bytes', value: mem.heapUsed };
    yield { name: 'runtime.sys_bytes', value: mem.rss };
    yield { name: 'runtime.heap_objects', value: mem.heapTotal };
    yield { name: 'runtime.num_goroutines', value: process.getActiveResourcesInfo().length };
    yield { name: 'runtime.total_gc_runs', value: runs };
    yield { name: 'runtime.total_gc_pause_ns', value: pauseNs };
  });
  return () => {
    off();
    observer?.disconnect();
  };
}
