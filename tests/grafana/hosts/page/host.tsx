/**
 * A stand-in for what Grafana's frontend does with a panel plugin, built against one end's npm
 * packages: SystemJS with the AMD extra loads the plugin's dist/module.js, the shared
 * dependencies (react, react-dom, @grafana/data, @grafana/ui, @grafana/runtime, @emotion/css)
 * come from this page through an import map, `plugin` is taken from the module, its panel is
 * rendered with PanelProps inside a Grafana theme and its options editor is built by
 * @grafana/data's PanelOptionsEditorBuilder. Query: theme, tz, vars (JSON), options (JSON).
 * window.__tw reports the outcome to the test.
 */
import React, { useState } from 'react';
import * as ReactNamespace from 'react';
import * as ReactDOMNamespace from 'react-dom';
import { createRoot } from 'react-dom/client';
import * as data from '@grafana/data';
import * as ui from '@grafana/ui';
import * as runtime from '@grafana/runtime';
import * as emotion from '@emotion/css';
import * as rxjs from 'rxjs';
import 'systemjs/dist/system.js';
import 'systemjs/dist/extras/amd.js';

import { standardEditors } from './editors';

declare const System: {
  set(id: string, ns: object): void;
  import(id: string): Promise<{ plugin?: unknown }>;
};

/** One option as PanelOptionsEditorBuilder lists it. */
interface OptionItem {
  id: string;
  path: string;
  name: string;
  description?: string;
  defaultValue?: unknown;
  settings?: unknown;
  editor: React.ComponentType<{
    value: unknown;
    onChange: (v: unknown) => void;
    item: OptionItem;
    context: { data: never[]; options: Record<string, unknown> };
  }>;
}

interface Report {
  status: 'loading' | 'ok' | 'error';
  error?: string;
  react?: string;
  options?: string[];
  theme?: { mode: string; text: string; background: string };
}
const report: Report = { status: 'loading' };

(window as unknown as { __tw: Report }).__tw = report;
window.addEventListener('error', (e) => {
  report.status = 'error';
  report.error = String(e.error?.stack ?? e.message);
});

const shared: Record<string, object> = {
  react: ReactNamespace,
  'react-dom': ReactDOMNamespace,
  '@grafana/data': data,
  '@grafana/ui': ui,
  '@grafana/runtime': runtime,
  '@emotion/css': emotion,
  rxjs,
};
for (const [name, ns] of Object.entries(shared)) {
  // the AMD extra hands a plugin `default` when __useDefault is set: the CommonJS export of
  // react and react-dom, the namespace itself for the ES modules
  System.set(`app:${name}`, {
    ...ns,
    default: (ns as { default?: object }).default ?? ns,
    __useDefault: true,
  });
}

const params = new URLSearchParams(location.search);
const mode = params.get('theme') === 'light' ? 'light' : 'dark';
const theme = data.createTheme({ colors: { mode } });
const timeZone = params.get('tz') ?? 'browser';
const vars: Record<string, string[]> = JSON.parse(params.get('vars') ?? '{}');
const overrides: Record<string, unknown> = JSON.parse(params.get('options') ?? '{}');
document.body.style.margin = '0';
document.body.style.background = theme.colors.background.canvas;

/** Grafana's $var, ${var}, ${var:format} and [[var]]; multi-values joined by commas. */
const replaceVariables: data.InterpolateFunction = (value) =>
  value.replace(/\$\{(\w+)(?::\w+)?\}|\$(\w+)|\[\[(\w+)\]\]/g, (m, a?: string, b?: string, c?: string) => {
    const v = vars[(a ?? b ?? c)!];
    return v ? v.join(',') : m;
  });

const PANEL = { width: 900, height: 420 };

function Host({ plugin, items }: { plugin: data.PanelPlugin; items: OptionItem[] }) {
  const defaults = Object.fromEntries(items.map((i) => [i.path, i.defaultValue]));
  const [options, setOptions] = useState<Record<string, unknown>>({ ...defaults, ...overrides });
  const Panel = plugin.panel!;
  const timeRange = data.getDefaultTimeRange();
  const set = (path: string, value: unknown) => setOptions((o) => ({ ...o, [path]: value }));
  return (
    <data.ThemeContext.Provider value={theme}>
      <div
        style={{
          display: 'flex',
          gap: 16,
          padding: 16,
          alignItems: 'flex-start',
          fontFamily: theme.typography.fontFamily,
        }}
      >
        <section
          data-testid="host-panel"
          style={{
            width: PANEL.width,
            background: theme.colors.background.primary,
            border: `1px solid ${theme.colors.border.weak}`,
            borderRadius: theme.shape.radius.default,
          }}
        >
          <h2 style={{ margin: 0, padding: '6px 8px', fontSize: 14, color: theme.colors.text.primary }}>
            Order blotter
          </h2>
          <div style={{ padding: '0 8px 8px' }}>
            <Panel
              id={1}
              data={{ series: [], state: data.LoadingState.Done, timeRange }}
              timeRange={timeRange}
              timeZone={timeZone}
              options={options}
              fieldConfig={{ defaults: {}, overrides: [] }}
              transparent={false}
              width={PANEL.width - 16}
              height={PANEL.height}
              renderCounter={0}
              title="Order blotter"
              eventBus={new data.EventBusSrv()}
              replaceVariables={replaceVariables}
              onOptionsChange={setOptions}
              onFieldConfigChange={() => undefined}
              onChangeTimeRange={() => undefined}
            />
          </div>
        </section>
        <aside
          data-testid="host-options"
          style={{
            width: 380,
            padding: 12,
            background: theme.colors.background.primary,
            border: `1px solid ${theme.colors.border.weak}`,
            color: theme.colors.text.primary,
          }}
        >
          {items.map((item) => {
            const Editor = item.editor;
            return (
              <div key={item.id} data-testid={`host-option-${item.path}`}>
                <ui.Field label={item.name} description={item.description}>
                  <div>
                    <Editor
                      value={options[item.path]}
                      onChange={(v: unknown) => set(item.path, v)}
                      item={item}
                      context={{ data: [], options }}
                    />
                  </div>
                </ui.Field>
              </div>
            );
          })}
        </aside>
      </div>
    </data.ThemeContext.Provider>
  );
}

data.standardEditorsRegistry.setInit(standardEditors);
System.import('/plugin/module.js')
  .then((mod) => {
    const plugin = mod.plugin;
    if (!(plugin instanceof data.PanelPlugin)) {
      throw new Error(`module.js exports no PanelPlugin of this page's @grafana/data (got ${typeof plugin})`);
    }
    const builder = new data.PanelOptionsEditorBuilder<object>();
    plugin.getPanelOptionsSupplier()(builder, { data: [] });
    const items = builder.getItems() as unknown as OptionItem[];
    createRoot(document.getElementById('root')!).render(<Host plugin={plugin} items={items} />);
    Object.assign(report, {
      status: report.status === 'error' ? 'error' : 'ok',
      react: ReactNamespace.version,
      options: items.map((i) => i.path),
      theme: { mode, text: theme.colors.text.primary, background: theme.colors.background.primary },
    });
  })
  .catch((e: Error) => {
    report.status = 'error';
    report.error = String(e?.stack ?? e);
  });
