export { ColumnsEditor } from './ColumnsEditor';
