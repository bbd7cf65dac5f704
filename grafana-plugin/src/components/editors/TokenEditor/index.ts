export { TokenEditor, TOKEN_WARNING } from './TokenEditor';
