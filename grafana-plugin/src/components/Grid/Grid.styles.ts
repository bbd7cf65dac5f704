import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';

export const getStyles = (theme: GrafanaTheme2) => {
  const headerText = {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    width: '100%',
    padding: theme.spacing(0, 1),
    color: theme.colors.text.secondary,
    fontWeight: theme.typography.fontWeightMedium,
    whiteSpace: 'nowrap',
    overflow: 'hidden',
  } as const;
  return {
    grid: css({
      display: 'flex',
      flexDirection: 'column',
      minHeight: 0,
      flex: 1,
      fontSize: theme.typography.bodySmall.fontSize,
      borderRadius: theme.shape.radius.default,
      '&:focus-visible': {
        outline: `2px solid ${theme.colors.primary.main}`,
        outlineOffset: 1,
      },
    }),
    headerGroup: css({
      flex: '0 0 auto',
      overflowY: 'hidden',
      scrollbarGutter: 'stable',
      borderBottom: `1px solid ${theme.colors.border.medium}`,
      background: theme.colors.background.secondary,
    }),
    headerRow: css({
      display: 'grid',
      alignItems: 'stretch',
    }),
    headerCell: css({
      minWidth: 0,
      display: 'flex',
    }),
    /** The label of a column that does not sort. */
    headerLabelOnly: css(headerText),
    // `all: unset` first: it would reset whatever came before it
    sortButton: css({ all: 'unset', boxSizing: 'border-box', cursor: 'pointer' }, headerText, {
      '&:hover': { color: theme.colors.text.primary, background: theme.colors.action.hover },
      '&:focus-visible': {
        outline: `2px solid ${theme.colors.primary.main}`,
        outlineOffset: -2,
      },
    }),
    right: css({ justifyContent: 'flex-end' }),
    headerLabel: css({ overflow: 'hidden', textOverflow: 'ellipsis' }),
    sortMark: css({ fontSize: 9, color: theme.colors.text.primary }),
    sortMarkIdle: css({ visibility: 'hidden' }),
    body: css({
      overflowY: 'auto',
      overflowX: 'hidden',
      scrollbarGutter: 'stable',
      position: 'relative',
      flex: '1 1 auto',
      contain: 'strict',
    }),
    spacer: css({
      position: 'relative',
      width: '100%',
    }),
  };
};
