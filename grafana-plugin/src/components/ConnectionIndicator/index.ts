export { ConnectionIndicator, describeConnection } from './ConnectionIndicator';
