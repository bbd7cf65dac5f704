import type { GrafanaTheme2 } from '@grafana/data';

import { feedPanelRoot } from '../feedPanel.styles';

export const getStyles = (theme: GrafanaTheme2) => ({
  root: feedPanelRoot(theme),
});
