import type { Change, FillRecord } from '../state/changes';
import { FillSnapshotCache, type FillHistoryReader } from './fill-snapshot';

const fill = (id: string): Change => ({ channel: 'fills', row: { fill_id: id } as FillRecord }) as Change;

describe('FillSnapshotCache', () => {
  function counting(): { reader: FillHistoryReader; reads: string[] } {
    const reads: string[] = [];
    return {
      reads,
      reader: (filter) => {
        reads.push(JSON.stringify(filter));
        return Promise.resolve([]);
      },
    };
  }

  test('one read per filter while fewer than 500 fills arrived since; then, or past the TTL, it reads again', async () => {
    const { reader, reads } = counting();
    let now = 1_000_000;
    const clock = jest.spyOn(Date, 'now').mockImplementation(() => now);
    try {
      const cache = new FillSnapshotCache(reader, 10_000);
      await cache.reader({ strategy: 'a' }, 500);
      await cache.reader({ strategy: 'a' }, 500);
      await cache.reader({ strategy: 'b' }, 500);
      expect(reads).toHaveLength(2); // a once, b once
      cache.observe(Array.from({ length: 499 }, (_, i) => fill(`f${i}`)));
      await cache.reader({ strategy: 'a' }, 500);
      expect(reads).toHaveLength(2); // 499 newer fills are all in the state's memory
      cache.observe([fill('f499')]);
      await cache.reader({ strategy: 'a' }, 500);
      expect(reads).toHaveLength(3); // 500: some may have left it
      now += 10_000;
      await cache.reader({ strategy: 'a' }, 500);
      expect(reads).toHaveLength(4); // past the TTL
    } finally {
      clock.mockRestore();
    }
  });

  test('a failed read is not kept', async () => {
    let fail = true;
    let reads = 0;
    const cache = new FillSnapshotCache(() => {
      reads += 1;
      return fail ? Promise.reject(new Error('down')) : Promise.resolve([]);
    });
    await expect(cache.reader({}, 500)).rejects.toThrow('down');
    fail = false;
    await cache.reader({}, 500);
    expect(reads).toBe(2);
  });
});
