export { BlotterPanel } from './BlotterPanel';
