/** Market-data panels shared by the Execution and Overview dashboards. */
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as p from './lib/panels';
import { market as q } from './queries';

const marker = (color: string) => [
  { id: 'custom.drawStyle', value: common.GraphDrawStyle.Points },
  { id: 'custom.pointSize', value: 9 },
  { id: 'custom.showPoints', value: common.VisibilityMode.Always },
  { id: 'color', value: { mode: 'fixed', fixedColor: color } },
];

/** The mark price of each symbol (one panel per symbol), with the engine's buys and sells as points. */
export function priceChartPanel() {
  return p
    .timeseriesPanel(
      'Price: $symbol',
      [
        { expr: q.markPrice, legend: '{{engine}} mark' },
        { expr: q.buys, legend: '{{engine}} buy' },
        { expr: q.sells, legend: '{{engine}} sell' },
      ],
      {
        unit: 'none',
        description:
          'Mark price (trading_mark_price), with points at the latest buy and sell fill price where the engine traded in the interval.',
      },
    )
    .repeat('symbol')
    .repeatDirection('h')
    .maxPerRow(4)
    .overrideByQuery('B', marker('green'))
    .overrideByQuery('C', marker('red'));
}
