/** At most `size` holders at once; the rest wait in order. */
class Semaphore {
  private free: number;
  private readonly waiting: Array<() => void> = [];

  constructor(size: number) {
    this.free = size;
  }

  async take(): Promise<() => void> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    };
  }
}

/**
 * Bounded concurrency overall and per host: a connection holds one overall slot and one slot of each host it talks
 * to (taken in name order, so two connections never wait on each other's hosts).
 */
export class HostLimits {
  private readonly overall: Semaphore;
  private readonly hosts = new Map<string, Semaphore>();

  constructor(
    concurrency: number,
    private readonly perHost: number,
  ) {
    this.overall = new Semaphore(concurrency);
  }

  async take(hosts: readonly string[]): Promise<() => void> {
    const releases: Array<() => void> = [];
    for (const host of [...new Set(hosts)].sort()) {
      let limit = this.hosts.get(host);
      if (!limit) this.hosts.set(host, (limit = new Semaphore(this.perHost)));
      releases.push(await limit.take());
    }
    releases.push(await this.overall.take());
    return () => {
      for (const release of releases.reverse()) release();
    };
  }
}
