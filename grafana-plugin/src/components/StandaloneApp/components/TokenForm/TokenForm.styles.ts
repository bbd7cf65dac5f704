import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';

export const getStyles = (theme: GrafanaTheme2) => ({
  page: css({
    minHeight: '100vh',
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'center',
    padding: theme.spacing(2),
  }),
  card: css({
    width: '100%',
    maxWidth: 480,
    padding: theme.spacing(3),
    background: theme.colors.background.primary,
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    boxShadow: theme.shadows.z2,
  }),
  title: css({ fontSize: theme.typography.h3.fontSize, margin: theme.spacing(0, 0, 1) }),
  text: css({ color: theme.colors.text.secondary, margin: theme.spacing(0, 0, 2), code: { wordBreak: 'break-all' } }),
  notice: css({
    color: theme.colors.error.text,
    margin: theme.spacing(0, 0, 2),
    fontWeight: theme.typography.fontWeightMedium,
  }),
});
