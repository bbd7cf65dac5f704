// Jest setup provided by Grafana scaffolding
import './.config/jest-setup';

// jsdom has no layout: give elements a size so the virtualized grid renders rows
// (tests that care set their own sizes).
Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 600 });
Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 1000 });

// i18next (pulled in by @grafana/ui) advertises itself on init; keep test output readable
const info = console.info;
console.info = (...args) => {
  if (typeof args[0] === 'string' && args[0].includes('i18next')) {
    return;
  }
  info(...args);
};

// @grafana/ui's select menus watch their scroll edges; jsdom has no IntersectionObserver
class NoIntersectionObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
  takeRecords() {
    return [];
  }
}
global.IntersectionObserver = global.IntersectionObserver || NoIntersectionObserver;
