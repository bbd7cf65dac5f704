export { BlotterRow } from './BlotterRow';
