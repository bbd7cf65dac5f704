import React, { useState } from 'react';
import { Button, RadioButtonGroup, useStyles2 } from '@grafana/ui';

import { ALL_COLUMNS, MODES, TAPE_ROWS, TEST_IDS } from '../../constants';
import { useFeedFills } from '../../hooks/useFeedFills';
import type { FeedClientFactory } from '../../hooks/useFeedChannel';
import { useFeedOrders } from '../../hooks/useFeedOrders';
import { useStoredToken } from '../../hooks/useStoredToken';
import { useWindowSize } from '../../hooks/useWindowSize';
import type { BlotterMode, ResolvedFilter } from '../../types';
import { Blotter, type BlotterDisplayOptions } from '../Blotter';
import { FillsTape } from '../FillsTape';
import { TokenForm } from './components/TokenForm';
import { getStyles } from './StandaloneApp.styles';

export interface StandaloneAppProps {
  /** ws(s)://<this host>/feed */
  feedUrl: string;
  createClient: FeedClientFactory;
  storage?: Storage;
  /** The mode the page opens in (`?mode=fills`); orders by default. */
  initialMode?: BlotterMode;
  /** Called when the user switches the mode (the page keeps it in its URL). */
  onModeChange?: (mode: BlotterMode) => void;
}

const DISPLAY: BlotterDisplayOptions = { columns: ALL_COLUMNS, density: 'normal', flash: true, maxRows: 100000 };
const RETENTION_MS = 10_000;
const NO_SCOPE: ResolvedFilter = {};
const NO_FILTER = {};
const BAR_HEIGHT = 40;
const PADDING = 8;

/** The blotter outside Grafana: asks for the viewer token, then shows the feed full-page. */
export const StandaloneApp = ({
  feedUrl,
  createClient,
  storage,
  initialMode = 'orders',
  onModeChange,
}: StandaloneAppProps) => {
  const { token, save, forget } = useStoredToken(storage);
  const [notice, setNotice] = useState<string>();
  const [mode, setMode] = useState<BlotterMode>(initialMode);
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
      mode={mode}
      onModeChange={(m) => {
        setMode(m);
        onModeChange?.(m);
      }}
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
  mode: BlotterMode;
  onModeChange: (mode: BlotterMode) => void;
  onChangeToken: (reason?: string) => void;
}

const StandaloneBlotter = ({
  feedUrl,
  token,
  createClient,
  mode,
  onModeChange,
  onChangeToken,
}: StandaloneBlotterProps) => {
  const styles = useStyles2(getStyles);
  const size = useWindowSize();
  const width = Math.max(280, size.width - 2 * PADDING);
  const height = Math.max(200, size.height - BAR_HEIGHT - 2 * PADDING);
  const View = mode === 'fills' ? StandaloneFills : StandaloneOrders;
  return (
    <div className={styles.page}>
      <header className={styles.bar} style={{ height: BAR_HEIGHT }}>
        <span className={styles.brand}>
          <img src="logo.svg" alt="" width={18} height={18} /> tradewatch · Blotter
        </span>
        <div className={styles.actions}>
          <div data-testid={TEST_IDS.standalone.mode} data-mode={mode}>
            <RadioButtonGroup<BlotterMode> size="sm" options={MODES} value={mode} onChange={onModeChange} />
          </div>
          <Button size="sm" variant="secondary" fill="text" onClick={() => onChangeToken()}>
            Change token
          </Button>
        </div>
      </header>
      <main className={styles.main} style={{ padding: PADDING }}>
        <View
          feedUrl={feedUrl}
          token={token}
          createClient={createClient}
          width={width}
          height={height}
          onChangeToken={onChangeToken}
        />
      </main>
    </div>
  );
};

interface ViewProps {
  feedUrl: string;
  token: string;
  createClient: FeedClientFactory;
  width: number;
  height: number;
  onChangeToken: (reason?: string) => void;
}

const StandaloneOrders = ({ feedUrl, token, createClient, width, height, onChangeToken }: ViewProps) => {
  const feed = useFeedOrders({ url: feedUrl, token, filter: NO_FILTER, retentionMs: RETENTION_MS, createClient });
  const problem = feed.state.status === 'reconnecting' ? feed.state.problem : undefined;
  return (
    <Blotter
      feed={feed}
      url={feedUrl}
      rawUrl={feedUrl}
      resolved={NO_SCOPE}
      options={DISPLAY}
      width={width}
      height={height}
      onChangeToken={() => onChangeToken(problem?.message)}
    />
  );
};

const StandaloneFills = ({ feedUrl, token, createClient, width, height, onChangeToken }: ViewProps) => {
  const feed = useFeedFills({ url: feedUrl, token, filter: NO_FILTER, limit: TAPE_ROWS, createClient });
  const problem = feed.state.status === 'reconnecting' ? feed.state.problem : undefined;
  return (
    <FillsTape
      feed={feed}
      url={feedUrl}
      rawUrl={feedUrl}
      scoped={false}
      density={DISPLAY.density}
      flash={DISPLAY.flash}
      width={width}
      height={height}
      onChangeToken={() => onChangeToken(problem?.message)}
    />
  );
};
