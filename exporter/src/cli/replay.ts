/**
 * `tradewatch replay <events.jsonl>`: applies a recorded event file through the same
 * Ingestor the exporter uses (validation included, no HTTP) and prints the accounting
 * report — the same figures /metrics would show after the same events.
 *
 * A line that is not a valid event is skipped and reported with its line number and
 * reason; with --strict the first one stops the replay (exit code 1) after the lines
 * before it were applied.
 */
import type { Command } from 'commander';
import { ConfigError, loadConfig, type Config } from '../config';
import { createLogger } from '../log';
import { Ingestor } from '../ingest/ingestor';
import type { AccountingNotice } from '../state/engine';
import { engineReport, type EngineReport } from '../state/report';
import { Store } from '../state/store';
import { retentionMs } from '../state/portfolio/windows';
import { openHistory, type HistoryWriter } from '../history';
import { replayJsonl, type LineProblem } from '../sources/replay';

/** Lines applied per ingest batch: large enough to be fast, small enough to stay lean. */
const BATCH_LINES = 2000;
/** Problems listed in a report (all are counted). */
const PROBLEMS_LISTED = 100;

export interface ReplayReport {
  file: string;
  /** Non-blank lines read. */
  lines: number;
  applied: number;
  /** Events whose id (or fill id) was seen before: acknowledged, not applied twice. */
  duplicates: number;
  skipped: number;
  problems: LineProblem[];
  notices: AccountingNotice[];
  settings: { valuationCurrency: string; returnsPeriodMs: number; periodsPerYear: number; windows: string[] };
  engines: EngineReport[];
  /** With --history: the rows written to the trade history, and where. */
  history?: { store: 'sqlite' | 'postgres'; rows: number };
}

export class StrictReplayError extends Error {
  constructor(
    readonly problem: LineProblem,
    readonly applied: number,
  ) {
    super(`line ${problem.line}: ${problem.field ? `${problem.field}: ` : ''}${problem.reason}`);
    this.name = 'StrictReplayError';
  }
}

export type ReplaySettings = Pick<
  Config,
  'valuationCurrency' | 'returnsPeriodMs' | 'periodsPerYear' | 'windows'
>;

/** Replays a JSONL file; resolves to the report, or rejects with StrictReplayError under --strict. */
export async function replayFile(
  file: string,
  settings: ReplaySettings,
  options: { strict?: boolean; history?: HistoryWriter } = {},
): Promise<ReplayReport> {
  const notices: AccountingNotice[] = [];
  const store = new Store({
    valuationCurrency: settings.valuationCurrency,
    equity: { periodMs: settings.returnsPeriodMs, retainMs: retentionMs(settings.windows) },
    onNotice: (n) => notices.push(n),
  });
  options.history?.attach(store);
  const ingestor = new Ingestor(store, createLogger('silent'));
  const problems: LineProblem[] = [];
  let stoppedAt: LineProblem | undefined;
  const progress = await replayJsonl(file, ingestor, {
    speed: 0,
    source: 'replay',
    batchSize: BATCH_LINES,
    idsFromLines: false,
    strict: options.strict,
    onProblem: (p) => {
      if (options.strict) stoppedAt = p;
      else if (problems.length < PROBLEMS_LISTED) problems.push(p);
    },
  });
  if (stoppedAt) throw new StrictReplayError(stoppedAt, progress.applied);
  const { lines, applied, duplicates, skipped } = progress;
  let history: ReplayReport['history'];
  if (options.history) {
    // Every row of the file, written (idempotent: a file replayed twice is kept once).
    if (!(await options.history.drain(600_000)))
      throw new Error(
        `the trade history cannot be written: ${options.history.stats.lastError ?? 'timed out'}`,
      );
    history = { store: options.history.store.kind, rows: options.history.stats.written };
  }

  return {
    history,
    file,
    lines,
    applied,
    duplicates,
    skipped,
    problems,
    notices,
    settings: {
      valuationCurrency: settings.valuationCurrency,
      returnsPeriodMs: settings.returnsPeriodMs,
      periodsPerYear: settings.periodsPerYear,
      windows: settings.windows.map((w) => w.name),
    },
    engines: [...store.engines.values()].map((s) =>
      engineReport(s, { windows: settings.windows, periodsPerYear: settings.periodsPerYear }),
    ),
  };
}

// ---- output -------------------------------------------------------------------------

/** JSON has no NaN or infinities: they are written as the strings Prometheus uses ("NaN", "+Inf", "-Inf"). */
export function reportToJson(report: ReplayReport): string {
  return JSON.stringify(
    report,
    (_key, value: unknown) =>
      typeof value === 'number' && !Number.isFinite(value) ? promNumber(value) : value,
    2,
  );
}

function promNumber(v: number): string {
  return Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf';
}

function fmt(v: number | null | undefined, digits = 2): string {
  if (v === null || v === undefined) return '—';
  if (!Number.isFinite(v)) return promNumber(v);
  return v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function qty(v: number): string {
  return Number.isFinite(v) ? String(+v.toPrecision(12)) : promNumber(v);
}

function pct(v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  return Number.isFinite(v) ? `${(v * 100).toFixed(2)} %` : promNumber(v);
}

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** The report as readable text tables. */
export function reportToText(report: ReplayReport): string {
  const out: string[] = [];
  out.push(`Replay of ${report.file}`);
  out.push(
    `  ${report.lines} lines: ${report.applied} events applied, ${report.duplicates} duplicates, ${report.skipped} skipped` +
      ` · valuation ${report.settings.valuationCurrency}, returns every ${report.settings.returnsPeriodMs / 1000} s, ${report.settings.periodsPerYear} periods a year`,
  );
  for (const p of report.problems)
    out.push(`  skipped line ${p.line}: ${p.field ? `${p.field}: ` : ''}${p.reason}`);
  if (report.skipped > report.problems.length)
    out.push(`  … and ${report.skipped - report.problems.length} more skipped lines`);
  for (const n of report.notices) out.push(`  incomplete (${n.engine}): ${n.message}`);

  for (const e of report.engines) {
    const cur = e.valuationCurrency;
    out.push(
      '',
      `Engine ${e.engine} — as of ${e.asOf ?? 'no event'}${e.pnlIncomplete ? '  [PnL INCOMPLETE: some amounts have no mark to ' + cur + ']' : ''}`,
    );
    out.push(
      table(
        ['figure', cur],
        [
          ['equity', fmt(e.equity)],
          ['realized PnL', fmt(e.realizedPnl)],
          ['unrealized PnL', fmt(e.unrealizedPnl)],
          ['daily PnL', fmt(e.dailyPnl)],
          ['drawdown', pct(e.drawdown)],
          ['exposure', pct(e.exposure)],
          ['consecutive losses', String(e.consecutiveLosses)],
          ...Object.entries(e.cash).map(([c, v]) => [`cash ${c}`, fmt(v, 8)]),
          ...Object.entries(e.feesPaid).map(([c, v]) => [`fees paid ${c}`, fmt(v, 8)]),
          ...Object.entries(e.unvalued).map(([c, v]) => [`left out (no mark) ${c}`, fmt(v, 8)]),
        ],
      ),
    );
    if (e.positions.length > 0) {
      out.push('', 'Positions');
      out.push(
        table(
          [
            'symbol',
            'quantity',
            'avg price',
            'mark',
            `notional ${cur}`,
            `unrealized ${cur}`,
            `realized ${cur}`,
            'fees (quote)',
            'concentration',
          ],
          e.positions.map((p) => [
            p.symbol,
            qty(p.quantity),
            p.quantity === 0 ? '—' : qty(p.avgPrice),
            p.markPrice === null ? '—' : qty(p.markPrice),
            fmt(p.notional),
            fmt(p.unrealizedPnl),
            fmt(p.realizedPnl),
            fmt(p.feesQuote, 4),
            pct(e.concentration[p.symbol]),
          ]),
        ),
      );
    }
    out.push('', 'Windows');
    out.push(
      table(
        [
          'window',
          'periods',
          'sharpe',
          'sortino',
          'volatility',
          'max drawdown',
          'round trips',
          'win rate',
          'profit factor',
          'expectancy',
          'avg win',
          'avg loss',
        ],
        e.windows.map((w) => [
          w.window,
          String(w.returns.periods),
          fmt(w.returns.sharpe),
          fmt(w.returns.sortino),
          pct(w.returns.volatility),
          pct(w.returns.maxDrawdown),
          `${w.trades.roundTrips} (${w.trades.wins}/${w.trades.losses}/${w.trades.breakevens})`,
          pct(w.trades.winRate),
          fmt(w.trades.profitFactor),
          fmt(w.trades.expectancy),
          fmt(w.trades.averageWin),
          fmt(w.trades.averageLoss),
        ]),
      ),
    );
    if (e.strategies.length > 0) {
      out.push('', 'Strategies (whole life; round trips as wins/losses/break-evens)');
      out.push(
        table(
          [
            'strategy',
            'round trips',
            'win rate',
            'profit factor',
            'expectancy',
            'avg win',
            'avg loss',
            'net PnL',
            'consecutive losses',
          ],
          e.strategies.map((s) => [
            s.strategy,
            `${s.allTime.roundTrips} (${s.allTime.wins}/${s.allTime.losses}/${s.allTime.breakevens})`,
            pct(s.allTime.winRate),
            fmt(s.allTime.profitFactor),
            fmt(s.allTime.expectancy),
            fmt(s.allTime.averageWin),
            fmt(s.allTime.averageLoss),
            fmt(s.allTime.netPnl),
            `${s.consecutiveLosses} (max ${s.maxConsecutiveLosses})`,
          ]),
        ),
      );
    }
  }
  return out.join('\n') + '\n';
}

// ---- the command --------------------------------------------------------------------

const SETTING_FLAGS = ['valuation-currency', 'returns-period', 'periods-per-year', 'windows'] as const;

export function registerReplayCommand(program: Command): void {
  const cmd = program
    .command('replay <file>')
    .description(
      'apply a recorded JSONL event file and print the accounting report (positions, PnL, fees, equity, drawdown, round trips, return statistics)',
    )
    .option('--json', 'print the report as JSON')
    .option('--strict', 'stop at the first bad line (exit code 1) instead of skipping it')
    .option('--config <file>', 'a YAML or JSON config file (TRADEWATCH_CONFIG)')
    .option(
      '--history',
      'also write the fills, closed orders, round trips and alerts to the trade history (SQLite in --data-dir, or PostgreSQL at --history-url)',
    )
    .option('--data-dir <dir>', 'as for serve (TRADEWATCH_DATA_DIR)')
    .option('--history-url <url>', 'as for serve (TRADEWATCH_HISTORY_URL)')
    .option('--history-schema <name>', 'as for serve (TRADEWATCH_HISTORY_SCHEMA)');
  for (const flag of SETTING_FLAGS)
    cmd.option(`--${flag} <value>`, `as for serve (TRADEWATCH_${flag.toUpperCase().replace(/-/g, '_')})`);

  cmd.action(async (file: string, flags: Record<string, string | boolean | undefined>) => {
    let config: Config;
    try {
      config = loadConfig({ env: process.env, flags });
    } catch (err) {
      if (err instanceof ConfigError) {
        process.stderr.write(`tradewatch replay: configuration error: ${err.message}\n`);
        process.exit(2);
      }
      throw err;
    }
    let report: ReplayReport;
    try {
      const history =
        flags.history === true
          ? openHistory({
              ...config,
              // No journal here to derive let-go rows from: a file's rows wait in memory (as before, up to 1 M).
              history: {
                ...config.history,
                enabled: true,
                maxPending: Math.max(config.history.maxPending, 1e6),
              },
            })
          : null;
      try {
        report = await replayFile(file, config, {
          strict: flags.strict === true,
          history: history ?? undefined,
        });
      } finally {
        await history?.close();
      }
    } catch (err) {
      if (err instanceof StrictReplayError) {
        process.stderr.write(
          `tradewatch replay: ${file}: ${err.message} (stopped by --strict after ${err.applied} events applied)\n`,
        );
        process.exit(1);
      }
      const code = (err as NodeJS.ErrnoException).code;
      process.stderr.write(`tradewatch replay: cannot read ${file}: ${(err as Error).message}\n`);
      process.exit(code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR' ? 2 : 1);
    }
    process.stdout.write(flags.json ? reportToJson(report) + '\n' : reportToText(report));
    if (report.history)
      process.stderr.write(
        `tradewatch replay: ${report.history.rows} rows written to the trade history (${report.history.store})\n`,
      );
  });
}
