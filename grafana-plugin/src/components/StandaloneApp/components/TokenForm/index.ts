export { TokenForm } from './TokenForm';
