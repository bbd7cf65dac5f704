import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';

export const getStyles = (theme: GrafanaTheme2) => ({
  wrapper: css({
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(0.75),
    width: '100%',
    minWidth: 0,
  }),
  track: css({
    flex: 1,
    height: 6,
    borderRadius: theme.shape.radius.pill,
    background: theme.colors.background.secondary,
    border: `1px solid ${theme.colors.border.weak}`,
    overflow: 'hidden',
  }),
  bar: css({
    height: '100%',
    background: theme.colors.primary.main,
  }),
  barDone: css({
    height: '100%',
    background: theme.colors.success.main,
  }),
  label: css({
    flex: '0 0 auto',
    minWidth: '3.5ch',
    textAlign: 'right',
    fontVariantNumeric: 'tabular-nums',
    color: theme.colors.text.secondary,
    fontSize: theme.typography.bodySmall.fontSize,
  }),
});
