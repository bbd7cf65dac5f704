import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';

import { feedPanelRoot } from '../feedPanel.styles';

export const getStyles = (theme: GrafanaTheme2) => ({
  root: feedPanelRoot(theme),
  profit: css({ color: theme.colors.success.text }),
  loss: css({ color: theme.colors.error.text }),
  flat: css({ color: theme.colors.text.secondary }),
});
