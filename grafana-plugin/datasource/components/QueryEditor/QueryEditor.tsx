import React from 'react';
import type { QueryEditorProps } from '@grafana/data';
import { InlineField, Input, RadioButtonGroup, Stack } from '@grafana/ui';

import { DS_TEST_IDS } from '../../constants';
import type { FeedDataSource } from '../../datasource';
import { DEFAULT_QUERY, FEED_CHANNELS, type FeedChannel, type FeedQuery, type FeedSettings } from '../../types';

export type FeedQueryEditorProps = QueryEditorProps<FeedDataSource, FeedQuery, FeedSettings>;

const CHANNEL_OPTIONS = FEED_CHANNELS.map((c) => ({ value: c, label: c[0].toUpperCase() + c.slice(1) }));

/** A channel and its filters; each filter takes dashboard variables ($engine, …). */
export const QueryEditor = ({ query, onChange, onRunQuery }: FeedQueryEditorProps) => {
  const q = { ...DEFAULT_QUERY, ...query };
  const set = (patch: Partial<FeedQuery>) => {
    onChange({ ...q, ...patch });
    onRunQuery();
  };
  const text = (field: 'engine' | 'strategy' | 'symbol', label: string) => (
    <InlineField
      label={label}
      tooltip={`Only rows of this ${field}; dashboard variables allowed. Empty or All: every ${field}.`}
    >
      <Input
        data-testid={DS_TEST_IDS.query[field]}
        width={20}
        value={q[field] ?? ''}
        onChange={(e) => onChange({ ...q, [field]: e.currentTarget.value })}
        onBlur={onRunQuery}
      />
    </InlineField>
  );
  return (
    <Stack gap={1} wrap="wrap">
      <InlineField label="Channel">
        <div data-testid={DS_TEST_IDS.query.channel}>
          <RadioButtonGroup<FeedChannel>
            options={CHANNEL_OPTIONS}
            value={q.channel}
            onChange={(channel) => set({ channel })}
          />
        </div>
      </InlineField>
      {text('engine', 'Engine')}
      {text('strategy', 'Strategy')}
      {text('symbol', 'Symbol')}
    </Stack>
  );
};
