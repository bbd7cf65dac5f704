import React from 'react';
import type { FeedProblem } from '@tradewatch/feed-client';
import { Button, useStyles2 } from '@grafana/ui';

import { TEST_IDS } from '../../constants';
import { getStyles } from './FeedState.styles';

export type FeedStateKind =
  | { kind: 'unconfigured'; rawUrl: string; hint?: string }
  | { kind: 'connecting'; url: string }
  | { kind: 'error'; problem: FeedProblem; url: string }
  | { kind: 'empty'; filtered: boolean; scoped: boolean; what?: 'orders' | 'fills' }
  | { kind: 'no-match'; total: number };

export interface FeedStateProps {
  state: FeedStateKind;
  onClearFilters?: () => void;
  onChangeToken?: () => void;
}

/** What to do next: explained where the table would be. */
export function problemHint(problem: FeedProblem): string {
  switch (problem.kind) {
    case 'unauthorized':
      return 'The viewer token is missing, wrong or revoked. Ask the exporter operator for a read-only viewer token.';
    case 'forbidden':
      return "The exporter refused this page's origin. Add it to TRADEWATCH_ALLOWED_ORIGINS on the exporter.";
    case 'unreachable':
      return 'Check that the exporter runs, that the URL and port are right, and that a proxy or the browser (mixed content, CSP connect-src) lets the WebSocket through.';
    case 'protocol':
      return 'The server at this URL does not speak the tradewatch feed protocol (tradewatch.v1). Is it the /feed path of a tradewatch exporter?';
    default:
      return 'The exporter closed the connection; the blotter keeps retrying.';
  }
}

export const FeedState = ({ state, onClearFilters, onChangeToken }: FeedStateProps) => {
  const styles = useStyles2(getStyles);
  switch (state.kind) {
    case 'unconfigured':
      return (
        <div className={styles.box} data-testid={TEST_IDS.state.unconfigured}>
          <p className={styles.title}>No feed to connect to</p>
          <p className={styles.text}>
            {state.rawUrl ? `“${state.rawUrl}” is not a ws:// or wss:// URL. ` : ''}
            {state.hint ?? 'Set the feed URL of the tradewatch exporter, for example ws://exporter:9478/feed.'}
          </p>
        </div>
      );
    case 'connecting':
      return (
        <div className={styles.box} data-testid={TEST_IDS.state.empty} data-state="connecting">
          <p className={styles.text}>Connecting to {state.url}…</p>
        </div>
      );
    case 'error':
      return (
        <div className={styles.box} role="alert" data-testid={TEST_IDS.state.error} data-kind={state.problem.kind}>
          <p className={styles.errorTitle}>{state.problem.message}</p>
          <p className={styles.text}>{problemHint(state.problem)}</p>
          {onChangeToken && (state.problem.kind === 'unauthorized' || state.problem.kind === 'forbidden') && (
            <Button variant="secondary" size="sm" onClick={onChangeToken} data-testid={TEST_IDS.standalone.changeToken}>
              Change token
            </Button>
          )}
        </div>
      );
    case 'empty':
      if (state.what === 'fills') {
        return (
          <div className={styles.box} data-testid={TEST_IDS.state.empty} data-state="empty">
            <p className={styles.title}>No fills yet</p>
            <p className={styles.text}>
              {state.scoped
                ? 'No fill matches the panel’s engine, strategy or symbol filter yet. Fills appear here, newest on top, as soon as the engine reports them.'
                : 'No engine has reported a fill yet. Fills appear here, newest on top, with the PnL each realized, as soon as an engine reports them.'}
            </p>
          </div>
        );
      }
      return (
        <div className={styles.box} data-testid={TEST_IDS.state.empty} data-state="empty">
          <p className={styles.title}>No active orders</p>
          <p className={styles.text}>
            {state.scoped
              ? 'No working order matches the panel’s engine, strategy or symbol filter. New orders appear here as soon as the engine sends them.'
              : 'The engines have no working orders right now. New orders appear here as soon as an engine sends them.'}
          </p>
        </div>
      );
    case 'no-match':
      return (
        <div className={styles.box} data-testid={TEST_IDS.state.empty} data-state="no-match">
          <p className={styles.title}>No order matches the filters</p>
          <p className={styles.text}>
            {state.total.toLocaleString('en-US')} orders are hidden by the filters or the search.
          </p>
          {onClearFilters && (
            <Button variant="secondary" size="sm" onClick={onClearFilters}>
              Clear filters
            </Button>
          )}
        </div>
      );
  }
};
