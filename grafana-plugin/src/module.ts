import { PanelPlugin } from '@grafana/data';

import { BlotterPanel } from './components/BlotterPanel';
import { ColumnsEditor } from './components/editors/ColumnsEditor';
import { TokenEditor, TOKEN_WARNING } from './components/editors/TokenEditor';
import { DEFAULT_OPTIONS } from './constants';
import type { BlotterOptions } from './types';

const FEED = ['Feed'];
const DISPLAY = ['Display'];

export const plugin = new PanelPlugin<BlotterOptions>(BlotterPanel).setPanelOptions((builder) =>
  builder
    .addTextInput({
      path: 'feedUrl',
      name: 'Feed URL',
      description: 'The exporter’s live feed, ws:// or wss://…/feed. Dashboard variables are interpolated.',
      defaultValue: DEFAULT_OPTIONS.feedUrl,
      category: FEED,
      settings: { placeholder: 'wss://exporter.example:9478/feed' },
    })
    .addCustomEditor({
      id: 'viewerToken',
      path: 'viewerToken',
      name: 'Viewer token',
      description: TOKEN_WARNING,
      defaultValue: DEFAULT_OPTIONS.viewerToken,
      editor: TokenEditor,
      category: FEED,
    })
    .addRadio({
      path: 'channel',
      name: 'Mode',
      description:
        'Orders: the active orders, live. Fills: a tape of fills, newest first, with the PnL each realized (the feed’s fills channel; its first rows come from the trade history when the exporter keeps one).',
      defaultValue: DEFAULT_OPTIONS.channel,
      settings: {
        options: [
          { value: 'orders', label: 'Orders (active)' },
          { value: 'fills', label: 'Fills (tape)' },
        ],
      },
      category: FEED,
    })
    .addTextInput({
      path: 'engineFilter',
      name: 'Engine filter',
      description:
        'Only orders of this engine. $engine by default; empty, All or an unknown variable means every engine; a multi-value variable means any of its values.',
      defaultValue: DEFAULT_OPTIONS.engineFilter,
      category: FEED,
    })
    .addTextInput({
      path: 'strategyFilter',
      name: 'Strategy filter',
      description: 'Only orders of this strategy ($strategy by default).',
      defaultValue: DEFAULT_OPTIONS.strategyFilter,
      category: FEED,
    })
    .addTextInput({
      path: 'symbolFilter',
      name: 'Symbol filter',
      description: 'Only orders of this symbol, such as XRP/USD ($symbol by default).',
      defaultValue: DEFAULT_OPTIONS.symbolFilter,
      category: FEED,
    })
    .addCustomEditor({
      id: 'columns',
      path: 'columns',
      name: 'Columns',
      description: 'A narrow panel hides the less important columns first.',
      defaultValue: DEFAULT_OPTIONS.columns,
      editor: ColumnsEditor,
      category: DISPLAY,
      showIf: (o) => o.channel !== 'fills',
    })
    .addRadio({
      path: 'density',
      name: 'Density',
      defaultValue: DEFAULT_OPTIONS.density,
      settings: {
        options: [
          { value: 'compact', label: 'Compact' },
          { value: 'normal', label: 'Normal' },
          { value: 'comfortable', label: 'Comfortable' },
        ],
      },
      category: DISPLAY,
    })
    .addBooleanSwitch({
      path: 'flash',
      name: 'Flash changed rows',
      defaultValue: DEFAULT_OPTIONS.flash,
      category: DISPLAY,
    })
    .addNumberInput({
      path: 'closedRetentionSeconds',
      name: 'Closed order retention (s)',
      description:
        'Filled, canceled, rejected or expired orders stay visible, faded, this many seconds. 0 hides them at once.',
      defaultValue: DEFAULT_OPTIONS.closedRetentionSeconds,
      settings: { min: 0, max: 3600, integer: true },
      category: DISPLAY,
      showIf: (o) => o.channel !== 'fills',
    })
    .addNumberInput({
      path: 'maxRows',
      name: 'Maximum rows',
      description:
        'At most this many rows are shown, after sorting; the header says when some are left out. The fills tape keeps at most 2,000.',
      defaultValue: DEFAULT_OPTIONS.maxRows,
      settings: { min: 1, max: 100000, integer: true },
      category: DISPLAY,
    })
);
