/**
 * Layout, kept apart from queries: a dashboard is a list of rows; a row is a title, a height
 * and panels with widths that add up to at most 24. Positions and ids are computed here, so
 * panels never overlap and ids are stable.
 */
import * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';

export type AnyPanel = cog.Builder<dashboard.Panel>;

export interface Row {
  /** A collapsible row header above the panels; omitted for the first row. */
  title?: string;
  height: number;
  panels: Array<[AnyPanel, number]>;
}

export function place(rows: Row[]): Array<dashboard.Panel | dashboard.RowPanel> {
  const out: Array<dashboard.Panel | dashboard.RowPanel> = [];
  let y = 0;
  let id = 1;
  for (const row of rows) {
    if (row.title) {
      out.push({
        type: 'row',
        id: id++,
        title: row.title,
        collapsed: false,
        panels: [],
        gridPos: { x: 0, y, w: 24, h: 1 },
      });
      y += 1;
    }
    let x = 0;
    for (const [builder, w] of row.panels) {
      if (x + w > 24) throw new Error(`row "${row.title ?? ''}" is wider than 24`);
      const panel = builder.build();
      panel.id = id++;
      panel.gridPos = { x, y, w, h: row.height };
      out.push(panel);
      x += w;
    }
    y += row.height;
  }
  return out;
}
