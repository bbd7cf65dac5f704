import React, { useState } from 'react';
import { Button, useStyles2 } from '@grafana/ui';

import { ALL_COLUMNS } from '../../constants';
import { useFeedOrders, type FeedClientFactory } from '../../hooks/useFeedOrders';
import { useStoredToken } from '../../hooks/useStoredToken';
import { useWindowSize } from '../../hooks/useWindowSize';
import type { ResolvedFilter } from '../../types';
import { Blotter, type BlotterDisplayOptions } from '../Blotter';
import { TokenForm } from './components/TokenForm';
import { getStyles } from './StandaloneApp.styles';

export interface StandaloneAppProps {
  /** ws(s)://<this host>/feed */
  feedUrl: string;
  createClient: FeedClientFactory;
  storage?: Storage;
}

const DISPLAY: BlotterDisplayOptions = { columns: ALL_COLUMNS, density: 'normal', flash: true, maxRows: 100000 };
const RETENTION_MS = 10_000;
const NO_SCOPE: ResolvedFilter = {};
const NO_FILTER = {};
const BAR_HEIGHT = 40;
const PADDING = 8;

/** The blotter outside Grafana: asks for the viewer token, then shows the feed full-page. */
export const StandaloneApp = ({ feedUrl, createClient, storage }: StandaloneAppProps) => {
  const { token, save, forget } = useStoredToken(storage);
  const [notice, setNotice] = useState<string>();
  if (!token) {
    return (
      <TokenForm
        feedUrl={feedUrl}
        notice={notice}
        onSubmit={(t) => {
          setNotice(undefined);
          save(t);
        }}
      />
    );
  }
  return (
    <StandaloneBlotter
      feedUrl={feedUrl}
      token={token}
      createClient={createClient}
      onChangeToken={(reason) => {
        setNotice(reason);
        forget();
      }}
    />
  );
};

interface StandaloneBlotterProps {
  feedUrl: string;
  token: string;
  createClient: FeedClientFactory;
  onChangeToken: (reason?: string) => void;
}

const StandaloneBlotter = ({ feedUrl, token, createClient, onChangeToken }: StandaloneBlotterProps) => {
  const styles = useStyles2(getStyles);
  const size = useWindowSize();
  const feed = useFeedOrders({ url: feedUrl, token, filter: NO_FILTER, retentionMs: RETENTION_MS, createClient });
  const problem = feed.state.status === 'reconnecting' ? feed.state.problem : undefined;
  return (
    <div className={styles.page}>
      <header className={styles.bar} style={{ height: BAR_HEIGHT }}>
        <span className={styles.brand}>
          <img src="logo.svg" alt="" width={18} height={18} /> tradewatch · Blotter
        </span>
        <Button size="sm" variant="secondary" fill="text" onClick={() => onChangeToken()}>
          Change token
        </Button>
      </header>
      <main className={styles.main} style={{ padding: PADDING }}>
        <Blotter
          feed={feed}
          url={feedUrl}
          rawUrl={feedUrl}
          resolved={NO_SCOPE}
          options={DISPLAY}
          width={Math.max(280, size.width - 2 * PADDING)}
          height={Math.max(200, size.height - BAR_HEIGHT - 2 * PADDING)}
          onChangeToken={() => onChangeToken(problem?.message)}
        />
      </main>
    </div>
  );
};
