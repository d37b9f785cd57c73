/**
 * Work that must happen one at a time per key, in the order it asked: `take(key, fn)` runs `fn` once every earlier
 * `take` for that key has settled, and tells it its turn (0, 1, 2 … per key). Load mode posts each learner's scores
 * this way: Moodle refuses a score not newer than the stored one, so scores of one person sent at once would race.
 */
export class Turns<K> {
  private readonly queues = new Map<K, { tail: Promise<unknown>; taken: number }>();

  take<T>(key: K, fn: (turn: number) => Promise<T>): Promise<T> {
    const queue = this.queues.get(key) ?? { tail: Promise.resolve(), taken: 0 };
    this.queues.set(key, queue);
    const turn = queue.taken++;
    const run = queue.tail.then(() => fn(turn));
    // The next in line waits for this one to settle, failed or not.
    queue.tail = run.catch(() => undefined);
    return run;
  }
}
