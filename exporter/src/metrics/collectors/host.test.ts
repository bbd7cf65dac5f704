import { parseMeminfo, parseProcStat } from './host';

describe('host collector parsers', () => {
  it('reads CPU seconds by mode from /proc/stat (USER_HZ = 100)', () => {
    const stat =
      'cpu  4705 356 584 3699176 23060 0 277 0 0 0\ncpu0 1393280 32966 572056 13343292 6130 0 17875 0 23933 0\nintr 1\n';
    expect(parseProcStat(stat)).toEqual({
      user: 47.05,
      nice: 3.56,
      system: 5.84,
      idle: 36991.76,
      iowait: 230.6,
      irq: 0,
      softirq: 2.77,
      steal: 0,
    });
  });

  it('reads memory in bytes from /proc/meminfo', () => {
    const meminfo = 'MemTotal:       16384000 kB\nMemFree:         1000000 kB\nMemAvailable:    4096000 kB\n';
    expect(parseMeminfo(meminfo)).toEqual({
      total: 16384000 * 1024,
      available: 4096000 * 1024,
      used: (16384000 - 4096000) * 1024,
    });
  });

  it('says what is missing instead of exporting nonsense', () => {
    expect(() => parseProcStat('intr 1\n')).toThrow(/no aggregate cpu line/);
    expect(() => parseMeminfo('MemTotal: 1 kB\n')).toThrow(/no MemAvailable/);
  });
});
