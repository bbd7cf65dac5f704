export { FillsTape, type FillsTapeProps } from './FillsTape';
