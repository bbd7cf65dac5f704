// @grafana/ui's ESM (.mjs) imports this CommonJS package's default; esbuild applies Node's
// rule for .mjs importers (default = module.exports), Grafana's webpack takes `.default`.
// This shim hands over `.default` as Grafana's own bundle does (only ui.Table's scrollbar uses it).
import * as scrollbars from 'tw-cjs:react-custom-scrollbars-2';
export default scrollbars.default ?? scrollbars;
