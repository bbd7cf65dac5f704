export { Grid, type GridProps, type GridSort } from './Grid';
export { fitColumns, gridTemplate } from './layout';
export type { CellContext, GridColumn, GridTable } from './types';
