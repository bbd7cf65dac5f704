import { css } from '@emotion/css';
import { colorManipulator, type GrafanaTheme2 } from '@grafana/data';

/** Every class a row needs, composed once per theme (rows re-render often). */
export const getStyles = (theme: GrafanaTheme2) => {
  const row = {
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
  } as const;
  const cell = {
    padding: theme.spacing(0, 1),
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
    minWidth: 0,
  } as const;
  const strong = { fontWeight: theme.typography.fontWeightMedium };
  return {
    row: css(row),
    flash: css({
      position: 'absolute',
      inset: 0,
      pointerEvents: 'none',
      background: colorManipulator.alpha(theme.colors.primary.main, theme.isDark ? 0.18 : 0.12),
    }),
    cells: {
      left: css(cell, { textAlign: 'left' }),
      right: css(cell, { textAlign: 'right' }),
    },
    muted: css({ color: theme.colors.text.secondary }),
    symbol: css(strong),
    buy: css(strong, { color: theme.colors.success.text }),
    sell: css(strong, { color: theme.colors.error.text }),
    pnl: {
      profit: css(strong, { color: theme.colors.success.text }),
      loss: css(strong, { color: theme.colors.error.text }),
      flat: css({ color: theme.colors.text.secondary }),
    },
  };
};
