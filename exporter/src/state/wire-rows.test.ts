/**
 * The wire rows the readers make of the state's records are the bytes the feed sent before
 * the state kept numeric times (issue 24), and the history stores the same cells: every
 * change of a demo stream and of hand-made events with every optional field, against
 * exporter/test/fixtures/wire-rows.jsonl (written by the exporter before, with
 * make-wire-rows-fixture.ts).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { changeLines } from '../../test/fixtures/make-wire-rows-fixture';
import type { FeedChannel } from './changes';
import { roundTripRow, wireRow } from './wire-rows';
import type { RoundTripRecord, ChannelRecords } from './changes';

const FIXTURE = path.join(__dirname, '..', '..', 'test', 'fixtures', 'wire-rows.jsonl');

it('gives the feed the same bytes and the history the same cells as the wire rows the state kept before', async () => {
  const before = readFileSync(FIXTURE, 'utf8').trimEnd().split('\n');
  const now = await changeLines(
    __dirname.replace(/state$/, ''),
    (channel, record) => wireRow(channel as FeedChannel, record as ChannelRecords[FeedChannel]),
    (record) => roundTripRow(record as RoundTripRecord),
  );
  expect(now.length).toBe(before.length);
  // Line by line, so a difference names its change.
  for (let i = 0; i < now.length; i++) expect([i, now[i]]).toEqual([i, before[i]]);
});
