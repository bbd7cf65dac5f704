import React from 'react';
import type { PanelProps } from '@grafana/data';

import { DEFAULT_OPTIONS } from '../../constants';
import { createFeedClient } from '../../feed';
import { useFeedOrders } from '../../hooks/useFeedOrders';
import { useInterpolatedOptions } from '../../hooks/useInterpolatedOptions';
import type { BlotterOptions } from '../../types';
import { Blotter } from '../Blotter';

export type BlotterPanelProps = PanelProps<BlotterOptions>;

/**
 * The panel: options, dashboard variables and time zone in, a live blotter out. No data frames
 * are used.
 */
export const BlotterPanel = ({ options, width, height, timeZone, replaceVariables }: BlotterPanelProps) => {
  const o = { ...DEFAULT_OPTIONS, ...options };
  const feedOptions = useInterpolatedOptions(o, replaceVariables);
  const feed = useFeedOrders({
    url: feedOptions.url,
    token: feedOptions.token,
    filter: feedOptions.feedFilter,
    retentionMs: Math.max(0, o.closedRetentionSeconds) * 1000,
    createClient: createFeedClient,
  });
  return (
    <Blotter
      feed={feed}
      url={feedOptions.url}
      rawUrl={feedOptions.rawUrl}
      resolved={feedOptions.resolved}
      options={o}
      width={width}
      height={height}
      timeZone={timeZone}
    />
  );
};
