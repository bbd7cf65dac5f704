/**
 * A stand-in for what Grafana's frontend does with a data source plugin and the panels fed by
 * it, built against one end's npm packages: SystemJS with the AMD extra loads the data
 * source's module.js (and the blotter panel's), shared dependencies come from this page (as
 * in host.tsx, plus rxjs), the DataSourceApi is constructed with the instance settings Grafana
 * gives a proxied data source (its `url` is the data proxy's path, the secret is not there),
 * `query()` is subscribed to as a dashboard does, and its frames feed a stock Table (with
 * Grafana's field overrides applied) and the blotter panel's `data.series`.
 * Query: theme, tz, vars (JSON), target (JSON). window.__tw reports to the test.
 */
import React, { useEffect, useState } from 'react';
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

declare const System: {
  set(id: string, ns: object): void;
  import(id: string): Promise<{ plugin?: unknown }>;
};

interface Report {
  status: 'loading' | 'ok' | 'error';
  error?: string;
  react?: string;
  subscribedAt?: number;
  frames: number;
  states: string[];
  errors: string[];
  transport?: string;
  rows?: number;
  fields?: Array<{ name: string; type: string }>;
  /** order id (or fill id) → Date.now() when a frame first held it. */
  seen: Record<string, number>;
  /** The ids the latest frame holds. */
  ids?: string[];
  test?: { status: string; message: string };
  /** Test hook: runs the data source's Save & test. */
  runTest?: () => Promise<void>;
}
const report: Report = { status: 'loading', frames: 0, states: [], errors: [], seen: {} };
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
const target = JSON.parse(params.get('target') ?? '{"refId":"A","channel":"orders"}');
/** table=0 leaves the Table out (the blotter benchmark measures the blotter alone). */
const showTable = params.get('table') !== '0';
document.body.style.margin = '0';
document.body.style.background = theme.colors.background.canvas;

/** Grafana's template service for the data source: $var and ${var:format}, multi-values by format. */
function interpolate(value: string, _scoped?: unknown, format?: unknown): string {
  return value.replace(/\$\{(\w+)(?::(\w+))?\}|\$(\w+)/g, (m, a?: string, f?: string, b?: string) => {
    const v = vars[(a ?? b)!];
    if (!v) return m;
    const how = f ?? (typeof format === 'string' ? format : undefined);
    if (typeof format === 'function')
      return (format as (v: string | string[]) => string)(v.length === 1 ? v[0] : v);
    return how === 'csv' || how === undefined ? v.join(',') : v.join(',');
  });
}
runtime.setTemplateSrv({
  getVariables: () => [],
  replace: interpolate,
  containsTemplate: (t?: string) => Boolean(t && /\$/.test(t)),
  updateTimeRange: () => undefined,
} as unknown as runtime.TemplateSrv);

const PANEL = { width: 900, height: 300 };
const replaceVariables: data.InterpolateFunction = (value) => interpolate(value);

function Panels({ ds, panel }: { ds: data.DataSourceApi; panel: data.PanelPlugin }) {
  const [series, setSeries] = useState<data.DataFrame[]>([]);
  const [state, setState] = useState<data.LoadingState>(data.LoadingState.Loading);
  const [errors, setErrors] = useState<data.DataQueryError[]>([]);
  useEffect(() => {
    const timeRange = data.getDefaultTimeRange();
    const request = {
      requestId: 'A',
      interval: '1s',
      intervalMs: 1000,
      range: timeRange,
      rangeRaw: timeRange.raw,
      scopedVars: {},
      targets: [target],
      timezone: timeZone,
      app: 'dashboard',
      startTime: Date.now(),
    } as unknown as data.DataQueryRequest;
    report.subscribedAt = Date.now();
    const sub = (ds.query(request) as rxjs.Observable<data.DataQueryResponse>).subscribe({
      next: (response) => {
        report.states.push(String(response.state));
        for (const e of response.errors ?? []) report.errors.push(String(e.message));
        // as Grafana's query runner: the response's errors reach the panel in data.errors
        setErrors(response.errors ?? []);
        setState(response.state ?? data.LoadingState.Done);
        const frames = response.data as data.DataFrame[];
        if (frames.length === 0) return;
        const frame = frames[0];
        report.frames += 1;
        report.rows = frame.length;
        report.transport = (frame.meta?.custom as { transport?: string } | undefined)?.transport;
        report.fields = frame.fields.map((f) => ({ name: f.name, type: String(f.type) }));
        const ids = frame.fields.find((f) => f.name === 'order_id' || f.name === 'fill_id');
        const now = Date.now();
        for (const id of ids?.values ?? []) if (!(id in report.seen)) report.seen[String(id)] = now;
        report.ids = (ids?.values ?? []).map(String);
        setSeries(frames);
        setState(response.state ?? data.LoadingState.Done);
      },
      error: (e: Error) => {
        report.status = 'error';
        report.error = String(e?.stack ?? e);
      },
    });
    return () => sub.unsubscribe();
  }, [ds]);

  const timeRange = data.getDefaultTimeRange();
  const tableFrames = !showTable
    ? []
    : data.applyFieldOverrides({
        data: series,
        fieldConfig: { defaults: {}, overrides: [] },
        replaceVariables,
        theme,
        timeZone,
      });
  const Blotter = panel.panel!;
  const box = {
    width: PANEL.width,
    background: theme.colors.background.primary,
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    padding: 8,
    color: theme.colors.text.primary,
  };
  return (
    <data.ThemeContext.Provider value={theme}>
      <div
        style={{
          display: 'flex',
          flexDirection: 'column',
          gap: 16,
          padding: 16,
          fontFamily: theme.typography.fontFamily,
        }}
      >
        <section data-testid="host-blotter" style={box}>
          <h2 style={{ margin: 0, fontSize: 14 }}>Order blotter (tradewatch feed data source)</h2>
          <Blotter
            id={1}
            data={{ series, state, timeRange, ...(errors.length > 0 ? { errors } : {}) }}
            timeRange={timeRange}
            timeZone={timeZone}
            options={{ density: 'compact' }}
            fieldConfig={{ defaults: {}, overrides: [] }}
            transparent={false}
            width={PANEL.width - 16}
            height={PANEL.height}
            renderCounter={0}
            title="Order blotter"
            eventBus={new data.EventBusSrv()}
            replaceVariables={replaceVariables}
            onOptionsChange={() => undefined}
            onFieldConfigChange={() => undefined}
            onChangeTimeRange={() => undefined}
          />
        </section>
        <section data-testid="host-table" style={box}>
          <h2 style={{ margin: 0, fontSize: 14 }}>Table (stock panel component, same query)</h2>
          {showTable && tableFrames.length > 0 ? (
            <ui.Table data={tableFrames[0]} width={PANEL.width - 16} height={PANEL.height} />
          ) : null}
        </section>
      </div>
    </data.ThemeContext.Provider>
  );
}

interface DsModule {
  plugin?: { DataSourceClass?: new (settings: data.DataSourceInstanceSettings) => data.DataSourceApi };
}

Promise.all([System.import('/datasource/module.js'), System.import('/plugin/module.js')])
  .then(([dsModule, panelModule]) => {
    const dsPlugin = (dsModule as DsModule).plugin;
    if (!(dsPlugin instanceof data.DataSourcePlugin) || !dsPlugin.DataSourceClass) {
      throw new Error('datasource/module.js exports no DataSourcePlugin of this page’s @grafana/data');
    }
    if (!(panelModule.plugin instanceof data.PanelPlugin)) {
      throw new Error('plugin/module.js exports no PanelPlugin of this page’s @grafana/data');
    }
    // What Grafana hands a proxied data source: the proxy path as its URL, no secret.
    const settings = {
      id: 1,
      uid: 'tradewatch-feed',
      type: 'tradewatch-feed-datasource',
      name: 'tradewatch feed',
      url: '/api/datasources/proxy/uid/tradewatch-feed',
      access: 'proxy',
      jsonData: {},
      readOnly: true,
      meta: {
        id: 'tradewatch-feed-datasource',
        name: 'tradewatch feed',
        type: 'datasource',
        streaming: true,
      },
    } as unknown as data.DataSourceInstanceSettings;
    const ds = new dsPlugin.DataSourceClass(settings);
    report.runTest = async () => {
      const result = (await ds.testDatasource()) as { status: string; message: string };
      report.test = { status: result.status, message: result.message };
    };
    createRoot(document.getElementById('root')!).render(<Panels ds={ds} panel={panelModule.plugin} />);
    report.status = report.status === 'error' ? 'error' : 'ok';
    report.react = ReactNamespace.version;
  })
  .catch((e: Error) => {
    report.status = 'error';
    report.error = String(e?.stack ?? e);
  });
