/*
 * The data source's build: the scaffold's configuration (.config/, left as generated) with
 * the data source's own entry, plugin.json, public path and output folder (dist-datasource/),
 * so both plugins come from one package and one install (datasource/README.md says why).
 */
import CopyWebpackPlugin from 'copy-webpack-plugin';
import path from 'path';
import type { Configuration } from 'webpack';

import grafanaConfig, { type Env } from '../.config/webpack/webpack.config.ts';

const ID = 'tradewatch-feed-datasource';
const root = path.resolve(__dirname, '..');
const here = __dirname;
const version = require(path.join(root, 'package.json')).version as string;

const config = async (env: Env): Promise<Configuration> => {
  const base = await grafanaConfig(env);
  const dist = path.join(root, 'dist-datasource');
  // The scaffold's copy and replace steps are the panel's (its plugin.json, README): ours below.
  const plugins = (base.plugins ?? []).filter((p) => {
    const name = p?.constructor?.name ?? '';
    return !['CopyPlugin', 'ReplaceInFilePlugin', 'BannerPlugin'].includes(name);
  });
  return {
    ...base,
    context: here,
    entry: { module: path.join(here, 'module.ts') },
    output: {
      ...base.output,
      path: dist,
      publicPath: `public/plugins/${ID}/`,
      uniqueName: ID,
    },
    resolve: {
      ...base.resolve,
      alias: {
        '@tradewatch/feed-client': path.resolve(root, '../feed-client/src'),
        '@tradewatch/feed-protocol': path.resolve(root, '../feed-protocol/src'),
      },
    },
    plugins: [
      ...plugins,
      new CopyWebpackPlugin({
        patterns: [
          {
            from: 'plugin.json',
            to: '.',
            transform: (content: Buffer) =>
              content
                .toString()
                .replace(/%VERSION%/g, version)
                .replace(/%TODAY%/g, new Date().toISOString().substring(0, 10)),
          },
          { from: 'README.md', to: '.' },
          { from: '../LICENSE', to: '.' },
          { from: 'img', to: 'img' },
        ],
      }),
    ],
  };
};

export default config;
