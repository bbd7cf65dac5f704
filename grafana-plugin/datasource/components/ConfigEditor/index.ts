export { ConfigEditor } from './ConfigEditor';
