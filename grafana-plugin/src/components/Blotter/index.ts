export { Blotter, type BlotterProps, type BlotterDisplayOptions } from './Blotter';
