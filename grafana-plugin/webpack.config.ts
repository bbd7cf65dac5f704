/*
 * The plugin build: the scaffold's configuration (.config/, left as generated) plus one
 * alias per package, so the feed client and the feed protocol it re-exports are compiled from
 * their TypeScript sources into module.js.
 * React and @grafana/* stay external, as the scaffold sets them.
 */
import path from 'path';
import type { Configuration } from 'webpack';

import grafanaConfig, { type Env } from './.config/webpack/webpack.config.ts';

const config = async (env: Env): Promise<Configuration> => {
  const base = await grafanaConfig(env);
  return {
    ...base,
    resolve: {
      ...base.resolve,
      alias: {
        '@tradewatch/feed-client': path.resolve(__dirname, '../feed-client/src'),
        '@tradewatch/feed-protocol': path.resolve(__dirname, '../feed-protocol/src'),
      },
    },
  };
};

export default config;
