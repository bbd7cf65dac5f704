import { DataSourcePlugin } from '@grafana/data';

import { ConfigEditor } from './components/ConfigEditor';
import { QueryEditor } from './components/QueryEditor';
import { FeedDataSource } from './datasource';
import type { FeedQuery, FeedSecureSettings, FeedSettings } from './types';

export const plugin = new DataSourcePlugin<FeedDataSource, FeedQuery, FeedSettings, FeedSecureSettings>(FeedDataSource)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);
