/** Types of the page measurement shared by the blotter benchmarks (measure.mjs). */
export interface Measured {
  frames: number[];
  rows: number[];
  longTasks: number;
  longTaskMs: number;
  domNodes: number;
}
export interface FrameStats {
  frames: number;
  fps: number;
  median: number;
  p95: number;
  p99: number;
  max: number;
  over33: number;
  longTasks: number;
  longTaskMs: number;
  rowsMax: number;
  domNodes: number;
}
export function measure(ms: number): Promise<Measured>;
export function stats(r: Measured, seconds: number): FrameStats;
export const f: (x: unknown) => string;
export function table(rows: Array<[string, FrameStats]>): void;
