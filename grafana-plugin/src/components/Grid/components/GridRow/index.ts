export { GridRow, type GridRowProps } from './GridRow';
