export { StaleBanner } from './StaleBanner';
