import { css, keyframes } from '@emotion/css';
import { colorManipulator, type GrafanaTheme2 } from '@grafana/data';

const fade = keyframes({
  from: { opacity: 1 },
  to: { opacity: 0 },
});

export const getStyles = (theme: GrafanaTheme2) => ({
  row: css({
    position: 'absolute',
    top: 0,
    left: 0,
    width: '100%',
    display: 'grid',
    alignItems: 'center',
    borderBottom: `1px solid ${theme.colors.border.weak}`,
    fontVariantNumeric: 'tabular-nums',
    contain: 'layout style',
    '&:hover': { background: theme.colors.action.hover },
  }),
  closed: css({
    opacity: 0.5,
    [theme.transitions.handleMotion('no-preference')]: { transition: 'opacity 300ms ease-out' },
  }),
  active: css({
    background: theme.colors.action.selected,
    outline: `2px solid ${theme.colors.primary.border}`,
    outlineOffset: -2,
  }),
  flash: css({
    position: 'absolute',
    inset: 0,
    pointerEvents: 'none',
    background: colorManipulator.alpha(theme.colors.primary.main, theme.isDark ? 0.28 : 0.18),
    animation: `${fade} 1.2s ease-out forwards`,
    [theme.transitions.handleMotion('reduce')]: { animation: 'none', opacity: 0.5 },
  }),
  cell: css({
    padding: theme.spacing(0, 1),
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
    minWidth: 0,
  }),
  left: css({ textAlign: 'left' }),
  right: css({ textAlign: 'right' }),
  center: css({ textAlign: 'center' }),
  muted: css({ color: theme.colors.text.secondary }),
  symbol: css({ fontWeight: theme.typography.fontWeightMedium }),
  buy: css({ color: theme.colors.success.text, fontWeight: theme.typography.fontWeightMedium }),
  sell: css({ color: theme.colors.error.text, fontWeight: theme.typography.fontWeightMedium }),
  status: css({ fontWeight: theme.typography.fontWeightMedium }),
  status_new: css({ color: theme.colors.info.text }),
  status_partially_filled: css({ color: theme.colors.warning.text }),
  status_filled: css({ color: theme.colors.success.text }),
  status_canceled: css({ color: theme.colors.text.secondary }),
  status_rejected: css({ color: theme.colors.error.text }),
  status_expired: css({ color: theme.colors.text.secondary, fontStyle: 'italic' }),
});
