export { QueryEditor } from './QueryEditor';
