import { PanelPlugin, type PanelModel } from '@grafana/data';

import { BlotterPanel } from './components/BlotterPanel';
import { ColumnsEditor } from './components/editors/ColumnsEditor';
import { DEFAULT_OPTIONS } from './constants';
import { LEGACY_OPTIONS, type BlotterOptions } from './types';

const DISPLAY = ['Display'];

/**
 * Dashboards saved before the data source carried a feed URL, filters and a viewer token in
 * the panel's options. Grafana runs this when it loads such a panel: those options are
 * dropped (never read, never shown), so the token leaves the dashboard at its next save.
 * The query now says what to show (a query on the tradewatch feed data source).
 */
export function migrateOptions(panel: PanelModel<Partial<BlotterOptions>>): Partial<BlotterOptions> {
  const options: Record<string, unknown> = { ...(panel.options ?? {}) };
  for (const legacy of LEGACY_OPTIONS) {
    delete options[legacy];
  }
  return options as Partial<BlotterOptions>;
}

export const plugin = new PanelPlugin<BlotterOptions>(BlotterPanel)
  .setMigrationHandler(migrateOptions)
  .setPanelOptions((builder) =>
    builder
      .addCustomEditor({
        id: 'columns',
        path: 'columns',
        name: 'Columns',
        description: 'A narrow panel hides the less important columns first.',
        defaultValue: DEFAULT_OPTIONS.columns,
        editor: ColumnsEditor,
        category: DISPLAY,
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
