/**
 * Host metrics from /proc (Linux), read by tiny I/O functions and parsed by pure ones
 * that the tests feed literal input.
 */
import { readFileSync, statfsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { family, type Collector, type MetricSink } from '../registry';

const CPU = family('host_cpu_seconds_total', 'counter', 'Seconds the host CPUs spent in each mode.');
const MEMORY = family('host_memory_bytes', 'gauge', 'Host memory by state (total, available, used).');
const LOAD1 = family('host_load1', 'gauge', 'Host one-minute load average.');
const FS_AVAIL = family(
  'host_filesystem_avail_bytes',
  'gauge',
  'Bytes available to the exporter on its data directory’s filesystem.',
);
const FS_SIZE = family(
  'host_filesystem_size_bytes',
  'gauge',
  'Size of the exporter’s data directory’s filesystem.',
);

/** USER_HZ: /proc/stat counts in 1/100 s on every Linux Node runs on. */
const TICKS_PER_SECOND = 100;
const CPU_MODES = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal'];

export function parseProcStat(text: string): Record<string, number> {
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) throw new Error('/proc/stat has no aggregate cpu line');
  const fields = line.trim().split(/\s+/).slice(1).map(Number);
  const out: Record<string, number> = {};
  CPU_MODES.forEach((mode, i) => {
    if (fields[i] !== undefined && Number.isFinite(fields[i])) out[mode] = fields[i] / TICKS_PER_SECOND;
  });
  return out;
}

export function parseMeminfo(text: string): { total: number; available: number; used: number } {
  const kb = (key: string): number => {
    const m = new RegExp(`^${key}:\\s+(\\d+)\\s+kB`, 'm').exec(text);
    if (!m) throw new Error(`/proc/meminfo has no ${key}`);
    return Number(m[1]) * 1024;
  };
  const total = kb('MemTotal');
  const available = kb('MemAvailable');
  return { total, available, used: total - available };
}

export class HostCollector implements Collector {
  readonly name = 'host';
  readonly families = [CPU, MEMORY, LOAD1, FS_AVAIL, FS_SIZE];

  constructor(private readonly dataDir: string) {}

  update(sink: MetricSink): void {
    for (const [mode, seconds] of Object.entries(parseProcStat(readFileSync('/proc/stat', 'utf8')))) {
      sink.add(CPU, { mode }, seconds);
    }
    for (const [state, bytes] of Object.entries(parseMeminfo(readFileSync('/proc/meminfo', 'utf8')))) {
      sink.add(MEMORY, { state }, bytes);
    }
    sink.add(LOAD1, {}, loadavg()[0]);
    const fs = statfsSync(this.dataDir);
    sink.add(FS_AVAIL, {}, fs.bavail * fs.bsize);
    sink.add(FS_SIZE, {}, fs.blocks * fs.bsize);
  }
}
