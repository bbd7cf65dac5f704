#!/usr/bin/env node
/** The `tradewatch` command: `serve` (the exporter) and `replay` (the accounting report of a recorded file). */
import { Command } from 'commander';
import { ConfigError, describeSettings, loadConfig, unknownSettings } from '../config';
import { createLogger } from '../log';
import { start } from '../main';
import { DataDirLockedError } from '../storage/data-dir-lock';
import { VERSION } from '../version';
import { registerReplayCommand } from './replay';

const program = new Command();
program.name('tradewatch').description('Observability for algorithmic trading systems').version(VERSION);

const serve = program
  .command('serve', { isDefault: true })
  .description('run the exporter (settings from --config, TRADEWATCH_* variables and these flags)')
  .option('--config <file>', 'a YAML or JSON config file (TRADEWATCH_CONFIG)');
for (const s of describeSettings()) serve.option(`${s.flag} <value>`, `${s.accepts} (${s.env})`);

serve.action(async (flags: Record<string, string>) => {
  let config;
  try {
    config = loadConfig({ env: process.env, flags });
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`tradewatch: configuration error: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const log = createLogger(config.logLevel);
  for (const warning of unknownSettings(process.env)) log.warn(warning);
  const exporter = await start(config, { log }).catch((err: Error) => {
    // A setting that does not work (data dir, lock, TLS files, host, port): named, exit 2.
    if (err instanceof ConfigError || err instanceof DataDirLockedError) {
      process.stderr.write(`tradewatch: cannot start: ${err.message}\n`);
      process.exit(2);
    }
    log.fatal({ err }, `cannot start: ${err.message}`);
    process.exit(1);
  });
  if (exporter.generated) {
    // Printed on the console only, never on a page.
    process.stderr.write(
      `\n  tradewatch: no tokens configured, so these were generated (kept in ${config.dataDir}/tokens.json):\n` +
        `    ingest token: ${exporter.generated.ingest}\n` +
        `    viewer token: ${exporter.generated.viewer}\n` +
        `  Metrics: http://localhost:${exporter.port}/metrics   Blotter: http://localhost:${exporter.port}/blotter/\n\n`,
    );
  }
  const shutdown = (signal: string) => {
    log.info({ signal }, 'shutting down');
    exporter.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
});

registerReplayCommand(program);

program.parseAsync(process.argv).catch((err: Error) => {
  process.stderr.write(`tradewatch: ${err.message}\n`);
  process.exit(1);
});
