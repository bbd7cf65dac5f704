import { css } from '@emotion/css';
import { colorManipulator, type GrafanaTheme2 } from '@grafana/data';

/**
 * Every class a row needs is composed here, once per theme: rows re-render often and
 * merging emotion classes at render time (cx) would hash and insert styles each time.
 */
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
  const faded = {
    opacity: 0.5,
    [theme.transitions.handleMotion('no-preference')]: { transition: 'opacity 300ms ease-out' },
  };
  const active = {
    background: theme.colors.action.selected,
    outline: `2px solid ${theme.colors.primary.border}`,
    outlineOffset: -2,
  };
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
    rowFaded: css(row, faded),
    rowActive: css(row, active),
    rowFadedActive: css(row, faded, active),
    flash: css({
      position: 'absolute',
      inset: 0,
      pointerEvents: 'none',
      background: colorManipulator.alpha(theme.colors.primary.main, theme.isDark ? 0.18 : 0.12),
      // a still highlight, dropped on the next clock tick after FLASH_MS: an animated fade on
      // many rows repaints the grid on every frame for as long as updates keep coming
      // (measured in bench/blotter: about 4 ms more main-thread work per frame)
    }),
    cells: {
      left: css(cell, { textAlign: 'left' }),
      right: css(cell, { textAlign: 'right' }),
      center: css(cell, { textAlign: 'center' }),
    },
    text: {
      muted: css({ color: theme.colors.text.secondary }),
      strong: css(strong),
      buy: css(strong, { color: theme.colors.success.text }),
      sell: css(strong, { color: theme.colors.error.text }),
      statuses: {
        new: css(strong, { color: theme.colors.info.text }),
        partially_filled: css(strong, { color: theme.colors.warning.text }),
        filled: css(strong, { color: theme.colors.success.text }),
        canceled: css(strong, { color: theme.colors.text.secondary }),
        rejected: css(strong, { color: theme.colors.error.text }),
        expired: css(strong, { color: theme.colors.text.secondary, fontStyle: 'italic' }),
      } as Record<string, string>,
      pnl: {
        profit: css(strong, { color: theme.colors.success.text }),
        loss: css(strong, { color: theme.colors.error.text }),
        flat: css({ color: theme.colors.text.secondary }),
      },
    },
  };
};

/** The text classes a column's render function may use. */
export type CellText = ReturnType<typeof getStyles>['text'];
