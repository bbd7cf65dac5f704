import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';

export const getStyles = (theme: GrafanaTheme2) => ({
  box: css({
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    justifyContent: 'center',
    gap: theme.spacing(1),
    flex: 1,
    minHeight: 0,
    padding: theme.spacing(2),
    textAlign: 'center',
    overflow: 'auto',
  }),
  title: css({
    margin: 0,
    fontSize: theme.typography.h5.fontSize,
    fontWeight: theme.typography.fontWeightMedium,
  }),
  errorTitle: css({
    margin: 0,
    fontSize: theme.typography.h5.fontSize,
    fontWeight: theme.typography.fontWeightMedium,
    color: theme.colors.error.text,
    wordBreak: 'break-word',
  }),
  text: css({
    margin: 0,
    maxWidth: 560,
    color: theme.colors.text.secondary,
  }),
});
