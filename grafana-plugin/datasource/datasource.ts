/**
 * The tradewatch feed as a Grafana data source (frontend only). Every query is live: one
 * FeedClient per data source instance (one connection through Grafana's data proxy, any
 * number of subscriptions), each query a subscription whose rows go out as a typed data
 * frame (frames.ts) with LoadingState.Streaming. The viewer token never reaches the browser:
 * the plugin route adds it (plugin.json), so nothing here knows it.
 */
import {
  DataSourceApi,
  LoadingState,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceInstanceSettings,
  type ScopedVars,
  type TestDataSourceResponse,
} from '@grafana/data';
import { getTemplateSrv } from '@grafana/runtime';
import {
  FeedClient,
  rowKey,
  type FeedClientApi,
  type FeedClientOptions,
  type FeedProblem,
} from '@tradewatch/feed-client';
import { Observable, merge } from 'rxjs';

import { matchesResolved } from '../src/utils/rows';
import { resolveFilter, toFeedFilter, type ReplaceVariables } from '../src/utils/variables';
import { FrameColumns } from './frames';
import { judgeProbe } from './health';
import { proxySocketFactory, proxyUrls, type TransportChoice } from './transport/proxySocket';
import type { StreamFetch } from './transport/streamSocket';
import { DEFAULT_QUERY, FEED_CHANNELS, type FeedQuery, type FeedSettings } from './types';

/** Frames go out at most this often per query (the feed batches at 100 ms itself). */
const FRAME_INTERVAL_MS = 100;

export interface FeedDataSourceDeps {
  fetch?: StreamFetch;
  createClient?: (options: FeedClientOptions) => FeedClientApi;
  /** The page's URL, against which the proxy path resolves. */
  pageUrl?: () => string;
}

export class FeedDataSource extends DataSourceApi<FeedQuery, FeedSettings> {
  /** Which way the rows come (websocket, or the stream after a refused upgrade). */
  readonly transport: TransportChoice = { current: null, upgradeFailures: 0 };
  private client: FeedClientApi | null = null;
  private users = 0;
  private readonly deps: FeedDataSourceDeps;
  private readonly url: string;

  constructor(instanceSettings: DataSourceInstanceSettings<FeedSettings>, deps: FeedDataSourceDeps = {}) {
    super(instanceSettings);
    this.url = instanceSettings.url ?? '';
    this.deps = deps;
  }

  getDefaultQuery(): Partial<FeedQuery> {
    return DEFAULT_QUERY;
  }

  filterQuery(query: FeedQuery): boolean {
    return !query.hide;
  }

  query(request: DataQueryRequest<FeedQuery>): Observable<DataQueryResponse> {
    const targets = request.targets.filter((t) => !t.hide);
    if (targets.length === 0) {
      return new Observable((subscriber) => {
        subscriber.next({ data: [], state: LoadingState.Done });
        subscriber.complete();
      });
    }
    return merge(...targets.map((t) => this.live(t, request.scopedVars)));
  }

  /** One query's live frames: a subscription on the shared client, released on unsubscribe. */
  private live(target: FeedQuery, scopedVars: ScopedVars): Observable<DataQueryResponse> {
    const channel = FEED_CHANNELS.includes(target.channel) ? target.channel : DEFAULT_QUERY.channel;
    const replace = this.replacer(scopedVars);
    const resolved = resolveFilter(
      { engine: target.engine, strategy: target.strategy, symbol: target.symbol },
      replace
    );
    const filter = toFeedFilter(resolved);
    const refId = target.refId;
    return new Observable<DataQueryResponse>((subscriber) => {
      const client = this.acquire();
      const columns = new FrameColumns(channel);
      const passes = (row: unknown) => matchesResolved(row as Parameters<typeof matchesResolved>[0], resolved);
      let closed: unknown[] = [];
      let seq = 0;
      let timer: ReturnType<typeof setTimeout> | null = null;
      let lastSent = 0;
      const emit = () => {
        timer = null;
        lastSent = Date.now();
        const frame = columns.frame(refId, {
          channel,
          transport: this.transport.current ?? 'websocket',
          seq,
          closed,
        });
        closed = [];
        subscriber.next({ data: [frame], key: refId, state: LoadingState.Streaming });
      };
      const off = client.subscribe<unknown>(channel, filter, (view) => {
        seq = view.seq;
        if (view.fromSnapshot) {
          columns.reset([...view.rows].filter(([, row]) => passes(row)));
          closed = [];
        } else {
          for (const row of view.upserts) {
            const key = rowKey(channel, row);
            if (passes(row)) {
              columns.upsert(key, row);
            } else {
              columns.remove(key);
            }
          }
          // fills and alerts only grow; FeedClient keeps the newest of them (maxAppendRows) and
          // so does the frame: past that, the frame is rebuilt from what the client holds
          if (columns.length > view.rows.size) {
            columns.reset([...view.rows].filter(([, row]) => passes(row)));
          }
          for (const r of view.removed) {
            if (columns.remove(r.key)) {
              if (r.finalRow !== undefined) {
                closed.push(r.finalRow);
              }
            }
          }
        }
        if (timer === null) {
          // the first frame at once, then at most one per interval
          timer = setTimeout(emit, Math.max(0, lastSent + FRAME_INTERVAL_MS - Date.now()));
        }
      });
      const offState = client.onState((state) => {
        if (state.status === 'reconnecting' && state.problem) {
          subscriber.next({
            data: [],
            key: refId,
            state: LoadingState.Streaming,
            errors: [{ message: explain(state.problem), refId }],
          });
        }
      });
      return () => {
        off();
        offState();
        if (timer !== null) {
          clearTimeout(timer);
        }
        this.release();
      };
    });
  }

  /** Save & test: the exporter's feed probe through the proxy (the route adds the token). */
  async testDatasource(): Promise<TestDataSourceResponse> {
    const probe = new URL(this.url.replace(/\/+$/, '') + '/api/v1/feed/auth', this.pageUrl()).toString();
    const label = `the exporter of data source "${this.name}"`;
    let verdict;
    try {
      const res = await (this.deps.fetch ?? defaultFetch)(probe, {
        signal: new AbortController().signal,
        credentials: 'same-origin',
        headers: { Accept: 'application/json' },
      });
      verdict = judgeProbe({ status: res.status, body: await res.text() }, label);
    } catch (err) {
      verdict = judgeProbe({ status: null, body: '', error: (err as Error).message }, label);
    }
    return { status: verdict.status, message: verdict.message };
  }

  private pageUrl(): string {
    return this.deps.pageUrl?.() ?? window.location.href;
  }

  private replacer(scopedVars: ScopedVars): ReplaceVariables {
    let srv: ReturnType<typeof getTemplateSrv> | undefined;
    try {
      srv = getTemplateSrv();
    } catch {
      srv = undefined;
    }
    return (value, vars, format) => (srv ? srv.replace(value, vars ?? scopedVars, format) : value);
  }

  private acquire(): FeedClientApi {
    this.users += 1;
    if (!this.client) {
      const urls = proxyUrls(this.url, this.pageUrl());
      const options: FeedClientOptions = {
        url: urls.feed,
        createSocket: proxySocketFactory({
          urls,
          fetcher: this.deps.fetch ?? defaultFetch,
          choice: this.transport,
        }),
      };
      this.client = (this.deps.createClient ?? ((o) => new FeedClient(o)))(options);
    }
    return this.client;
  }

  private release(): void {
    this.users -= 1;
    if (this.users <= 0 && this.client) {
      this.users = 0;
      this.client.close();
      this.client = null;
      this.transport.current = null;
    }
  }
}

const defaultFetch: StreamFetch = (url, init) => fetch(url, init);

/** A FeedClient problem as a panel error: the data source's words, not a proxy URL. */
function explain(problem: FeedProblem): string {
  return `tradewatch feed: ${problem.message}`;
}
