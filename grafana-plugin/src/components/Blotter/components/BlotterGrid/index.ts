export { BlotterGrid } from './BlotterGrid';
