import type { AlertRule } from '../model';
import { fmt } from '../model';
import { pendingFor, thresholds as t } from '../thresholds';

const levels = ['warning', 'critical'] as const;

export const hostRules: AlertRule[] = [
  ...levels.map((level): AlertRule => ({
    uid: `tw-host-disk-${level}`,
    alert: level === 'warning' ? 'HostDiskSpaceLow' : 'HostDiskSpaceCritical',
    area: 'host',
    expr: `host_filesystem_avail_bytes / host_filesystem_size_bytes < ${t.diskFreeRatio[level]}`,
    for: pendingFor.noisy,
    severity: level,
    summary: `The exporter's data filesystem on {label:instance} has {value} free (limit ${fmt(t.diskFreeRatio[level], 'percent')}).`,
    description:
      "The filesystem holding the exporter's journal is filling up; when it is full, ingest fails and engines see errors.",
    valueFormat: 'percent',
    dashboard: 'health',
    panel: 'Disk free',
  })),
  ...levels.map((level): AlertRule => ({
    uid: `tw-host-memory-${level}`,
    alert: level === 'warning' ? 'HostMemoryLow' : 'HostMemoryCritical',
    area: 'host',
    expr: `max without (state) (host_memory_bytes{state="available"})
/
max without (state) (host_memory_bytes{state="total"})
< ${t.memoryAvailableRatio[level]}`,
    for: pendingFor.noisy,
    severity: level,
    summary: `Host {label:instance} has {value} of its memory available (limit ${fmt(t.memoryAvailableRatio[level], 'percent')}).`,
    description:
      'The host running the exporter is short of memory; the kernel may kill the exporter or the engine.',
    valueFormat: 'percent',
    dashboard: 'health',
    panel: 'Memory available',
  })),
];
