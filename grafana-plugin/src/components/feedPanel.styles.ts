import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';

/** The frame both feed panels (the blotter and the fills tape) share: a column that never scrolls itself. */
export const feedPanelRoot = (theme: GrafanaTheme2) =>
  css({
    display: 'flex',
    flexDirection: 'column',
    minHeight: 0,
    overflow: 'hidden',
    color: theme.colors.text.primary,
    fontFamily: theme.typography.fontFamily,
    fontSize: theme.typography.body.fontSize,
  });
