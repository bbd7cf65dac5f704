import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';

export const getStyles = (theme: GrafanaTheme2) => ({
  toolbar: css({
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1),
    paddingBottom: theme.spacing(1),
  }),
  search: css({
    flex: '1 1 180px',
    minWidth: 140,
    maxWidth: 320,
  }),
  filter: css({
    flex: '0 1 160px',
    minWidth: 110,
  }),
});
