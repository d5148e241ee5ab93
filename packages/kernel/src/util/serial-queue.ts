/**
 * Runs async tasks one at a time, in the order they were queued: a task starts once every
 * earlier one has settled, whether it resolved or rejected. Each caller gets its own task's
 * outcome; a failed task does not stop the ones after it. Nothing here blocks.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const run = this.tail.then(task);
    this.tail = run.catch(() => {});
    return run;
  }
}
