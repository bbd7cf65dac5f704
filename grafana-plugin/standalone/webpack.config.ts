/*
 * The standalone build of the blotter, served by the exporter at /blotter/: one page
 * (index.html) and one bundle with React, @grafana/ui and @grafana/data inside (no
 * Grafana around it to provide them). Output: dist-standalone/.
 */
import CopyWebpackPlugin from 'copy-webpack-plugin';
import path from 'path';
import TerserPlugin from 'terser-webpack-plugin';
import type { Configuration } from 'webpack';

const root = path.resolve(__dirname, '..');

type Env = Record<string, unknown>;

const config = (env: Env): Configuration => {
  const production = Boolean(env.production);
  return {
    mode: production ? 'production' : 'development',
    context: root,
    entry: { main: './src/standalone/index.tsx' },
    devtool: production ? false : 'eval-source-map',
    output: {
      path: path.join(root, 'dist-standalone'),
      filename: '[name].js',
      chunkFilename: '[name].[contenthash].js',
      publicPath: 'auto',
      clean: true,
    },
    cache: {
      type: 'filesystem',
      cacheDirectory: path.join(root, 'node_modules', '.cache', 'webpack-standalone'),
      buildDependencies: { config: [__filename] },
    },
    module: {
      rules: [
        {
          test: /\.[cm]?jsx?$/,
          resolve: { fullySpecified: false },
        },
        {
          test: /\.[tj]sx?$/,
          exclude: /node_modules/,
          use: {
            loader: 'swc-loader',
            options: {
              jsc: {
                target: 'es2020',
                parser: { syntax: 'typescript', tsx: true },
                transform: { react: { runtime: 'automatic' } },
              },
            },
          },
        },
        { test: /\.css$/, use: ['style-loader', 'css-loader'] },
        { test: /\.(png|jpe?g|gif|svg|woff2?|eot|ttf|otf)$/, type: 'asset/resource' },
      ],
    },
    resolve: {
      extensions: ['.tsx', '.ts', '.mjs', '.js', '.jsx'],
      modules: [path.join(root, 'src'), 'node_modules'],
      alias: {
        '@tradewatch/feed-client': path.resolve(root, '../feed-client/src'),
        '@tradewatch/feed-protocol': path.resolve(root, '../feed-protocol/src'),
      },
      fallback: { fs: false, path: false, os: false, crypto: false, stream: false },
    },
    plugins: [
      new CopyWebpackPlugin({
        patterns: [
          { from: 'standalone/index.html', to: 'index.html' },
          { from: 'src/img/logo.svg', to: 'logo.svg' },
          // @grafana/ui's icons, where its Icon looks for them (see src/standalone/index.tsx)
          { from: 'node_modules/@grafana/ui/dist/public/img/icons', to: 'build/img/icons' },
        ],
      }),
    ],
    optimization: {
      minimize: production,
      minimizer: [
        new TerserPlugin({ minify: TerserPlugin.swcMinify, terserOptions: { compress: true, mangle: true } }),
      ],
    },
    performance: { hints: false },
    stats: 'errors-warnings',
  };
};

export default config;
