// A negative control for the levitate check: @grafana/ui's Graph exists in 12.x and is gone in 13.
import { Graph } from '@grafana/ui';

export const graph = Graph;
