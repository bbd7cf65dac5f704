import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';

export const getStyles = (theme: GrafanaTheme2) => ({
  root: css({
    display: 'flex',
    flexDirection: 'column',
    minHeight: 0,
    overflow: 'hidden',
    color: theme.colors.text.primary,
    fontFamily: theme.typography.fontFamily,
    fontSize: theme.typography.body.fontSize,
  }),
  profit: css({ color: theme.colors.success.text }),
  loss: css({ color: theme.colors.error.text }),
  flat: css({ color: theme.colors.text.secondary }),
});
