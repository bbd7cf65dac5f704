export { BlotterHeader } from './BlotterHeader';
