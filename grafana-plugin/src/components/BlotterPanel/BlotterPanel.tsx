import React, { useEffect, useMemo, useState } from 'react';
import type { PanelData, PanelProps } from '@grafana/data';
import type { TimeZone } from '@grafana/schema';
import type { FillRow, OrderRow } from '@tradewatch/feed-client';

import { DEFAULT_OPTIONS, TAPE_ROWS } from '../../constants';
import { useSeriesFeed } from '../../hooks/useSeriesFeed';
import type { BlotterOptions } from '../../types';
import { FillTape } from '../../utils/fillTape';
import { OrderStore } from '../../utils/orderStore';
import { feedFrame } from '../../utils/seriesRows';
import { Blotter } from '../Blotter';
import { FillsTape } from '../FillsTape';

export type BlotterPanelProps = PanelProps<BlotterOptions>;

/** What the panel says where the feed's URL would be: its rows come from the data source. */
export const SOURCE_LABEL = 'the tradewatch feed data source';
export const UNCONFIGURED_HINT =
  'Add a query on the “tradewatch feed” data source (uid tradewatch-feed), channel Orders or Fills.';

/**
 * The panel: the rows of its query on the tradewatch feed data source (data.series), live, as
 * the active orders, or the tape of fills when the query reads the fills channel. The panel
 * holds no URL and no token: the data source reaches the exporter through Grafana's proxy.
 */
export const BlotterPanel = ({ data, options, width, height, timeZone }: BlotterPanelProps) => {
  const o = { ...DEFAULT_OPTIONS, ...options };
  const channel = feedFrame(data.series)?.channel ?? 'orders';
  const View = channel === 'fills' ? FillsView : OrdersView;
  return <View data={data} options={o} width={width} height={height} timeZone={timeZone} />;
};

interface ViewProps {
  data: PanelData;
  options: BlotterOptions;
  width: number;
  height: number;
  timeZone: TimeZone;
}

const OrdersView = ({ data, options, width, height, timeZone }: ViewProps) => {
  const retentionMs = Math.max(0, options.closedRetentionSeconds) * 1000;
  // one mutable store for the life of the panel; renders read it through `version`
  const [store] = useState(() => new OrderStore(retentionMs));
  const feed = useSeriesFeed<OrderRow>(data, 'orders', store);
  const { refresh } = feed;
  useEffect(() => {
    store.setRetention(retentionMs);
    const timer = setInterval(() => {
      if (store.closedCount > 0 && store.prune(Date.now())) {
        refresh();
      }
    }, 1000);
    return () => clearInterval(timer);
    // `refresh` reads the store, which is fixed for the life of the component
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [store, retentionMs]);
  return (
    <Blotter
      feed={{ rows: store.rows(), version: feed.version, state: feed.state, loaded: feed.loaded }}
      url={feed.queried ? SOURCE_LABEL : ''}
      rawUrl=""
      resolved={{}}
      options={options}
      width={width}
      height={height}
      timeZone={timeZone}
      unconfiguredHint={UNCONFIGURED_HINT}
    />
  );
};

const FillsView = ({ data, options, width, height, timeZone }: ViewProps) => {
  const limit = Math.max(1, Math.min(options.maxRows, TAPE_ROWS));
  const [tape] = useState(() => new FillTape(limit));
  tape.setLimit(limit);
  const feed = useSeriesFeed<FillRow>(data, 'fills', tape);
  const rows = useMemo(
    () => tape.rows,
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [feed.version]
  );
  return (
    <FillsTape
      feed={{ rows, version: feed.version, state: feed.state, loaded: feed.loaded }}
      url={feed.queried ? SOURCE_LABEL : ''}
      rawUrl=""
      scoped={false}
      density={options.density}
      flash={options.flash}
      width={width}
      height={height}
      timeZone={timeZone}
    />
  );
};
