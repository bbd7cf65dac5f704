export { FillRow } from './FillRow';
