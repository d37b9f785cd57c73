import { describe, expect, it } from 'vitest';
import { Turns } from '../../src/util/turns.js';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Turns', () => {
  it('runs the work of one key one at a time, in the order asked, numbering the turns', async () => {
    const turns = new Turns<string>();
    const log: string[] = [];
    let running = 0;
    const work = (name: string, ms: number) =>
      turns.take('ada', async (turn) => {
        running++;
        expect(running).toBe(1);
        log.push(`${name} starts turn ${turn}`);
        await tick(ms);
        running--;
        return name;
      });
    // The first is the slowest: a second one must still wait for it.
    expect(await Promise.all([work('a', 30), work('b', 1), work('c', 10)])).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['a starts turn 0', 'b starts turn 1', 'c starts turn 2']);
  });

  it('keys do not wait for each other, and a failure does not stop the line', async () => {
    const turns = new Turns<string>();
    const order: string[] = [];
    const slow = turns.take('ada', async () => {
      await tick(30);
      order.push('ada');
      throw new Error('refused');
    });
    const other = turns.take('alan', async (turn) => {
      order.push(`alan ${turn}`);
    });
    const after = turns.take('ada', async (turn) => {
      order.push(`ada ${turn}`);
    });
    await expect(slow).rejects.toThrow('refused');
    await Promise.all([other, after]);
    expect(order).toEqual(['alan 0', 'ada', 'ada 1']);
  });
});
