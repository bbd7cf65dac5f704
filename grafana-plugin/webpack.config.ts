/*
 * The plugin build: the scaffold's configuration (.config/, left as generated) plus one
 * alias, so the feed client is compiled from its TypeScript source into module.js.
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
      },
    },
  };
};

export default config;
