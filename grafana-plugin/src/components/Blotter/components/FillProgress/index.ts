export { FillProgress } from './FillProgress';
