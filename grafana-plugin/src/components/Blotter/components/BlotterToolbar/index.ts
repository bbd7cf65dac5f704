export { BlotterToolbar } from './BlotterToolbar';
