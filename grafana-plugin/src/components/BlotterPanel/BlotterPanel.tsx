import React, { useMemo } from 'react';
import type { PanelProps } from '@grafana/data';
import type { TimeZone } from '@grafana/schema';

import { DEFAULT_OPTIONS, TAPE_ROWS } from '../../constants';
import { createFeedClient } from '../../feed';
import { useFeedFills } from '../../hooks/useFeedFills';
import { useFeedOrders } from '../../hooks/useFeedOrders';
import { useInterpolatedOptions, type InterpolatedOptions } from '../../hooks/useInterpolatedOptions';
import type { BlotterOptions } from '../../types';
import { matchesResolved } from '../../utils/rows';
import { Blotter } from '../Blotter';
import { FillsTape } from '../FillsTape';

export type BlotterPanelProps = PanelProps<BlotterOptions>;

/**
 * The panel: options, dashboard variables and time zone in, a live blotter out: the active
 * orders, or (mode "fills") the tape of fills with their realized PnL. No data frames are used.
 */
export const BlotterPanel = ({ options, width, height, timeZone, replaceVariables }: BlotterPanelProps) => {
  const o = { ...DEFAULT_OPTIONS, ...options };
  const feedOptions = useInterpolatedOptions(o, replaceVariables);
  const View = o.channel === 'fills' ? FillsView : OrdersView;
  return <View options={o} feedOptions={feedOptions} width={width} height={height} timeZone={timeZone} />;
};

interface ViewProps {
  options: BlotterOptions;
  feedOptions: InterpolatedOptions;
  width: number;
  height: number;
  timeZone: TimeZone;
}

const OrdersView = ({ options, feedOptions, width, height, timeZone }: ViewProps) => {
  const feed = useFeedOrders({
    url: feedOptions.url,
    token: feedOptions.token,
    filter: feedOptions.feedFilter,
    retentionMs: Math.max(0, options.closedRetentionSeconds) * 1000,
    createClient: createFeedClient,
  });
  return (
    <Blotter
      feed={feed}
      url={feedOptions.url}
      rawUrl={feedOptions.rawUrl}
      resolved={feedOptions.resolved}
      options={options}
      width={width}
      height={height}
      timeZone={timeZone}
    />
  );
};

const FillsView = ({ options, feedOptions, width, height, timeZone }: ViewProps) => {
  const feed = useFeedFills({
    url: feedOptions.url,
    token: feedOptions.token,
    filter: feedOptions.feedFilter,
    limit: Math.max(1, Math.min(options.maxRows, TAPE_ROWS)),
    createClient: createFeedClient,
  });
  const { resolved } = feedOptions;
  const scoped = Boolean(resolved.engine || resolved.strategy || resolved.symbol);
  // multi-value variables the server cannot filter on are applied here
  const rows = useMemo(
    () => (scoped ? feed.rows.filter((r) => matchesResolved(r.fill, resolved)) : feed.rows),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [feed.version, resolved, scoped]
  );
  return (
    <FillsTape
      feed={{ ...feed, rows }}
      url={feedOptions.url}
      rawUrl={feedOptions.rawUrl}
      scoped={scoped}
      density={options.density}
      flash={options.flash}
      width={width}
      height={height}
      timeZone={timeZone}
    />
  );
};
