import { css, keyframes } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';

const pulse = keyframes({
  '0%': { opacity: 1 },
  '50%': { opacity: 0.35 },
  '100%': { opacity: 1 },
});

export const getStyles = (theme: GrafanaTheme2) => ({
  wrapper: css({
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.75),
    whiteSpace: 'nowrap',
    fontSize: theme.typography.bodySmall.fontSize,
  }),
  dot: css({
    width: 8,
    height: 8,
    borderRadius: '50%',
    flex: '0 0 auto',
  }),
  live: css({ background: theme.colors.success.main }),
  pending: css({
    background: theme.colors.warning.main,
    [theme.transitions.handleMotion('no-preference')]: { animation: `${pulse} 1.2s ease-in-out infinite` },
  }),
  stale: css({ background: theme.colors.error.main }),
  off: css({ background: theme.colors.text.disabled }),
  label: css({ fontWeight: theme.typography.fontWeightMedium }),
  detail: css({ color: theme.colors.text.secondary }),
});
