import React, { memo, useMemo, useState } from 'react';
import type { SelectableValue } from '@grafana/data';
import { Button, Input, MultiSelect, useStyles2 } from '@grafana/ui';

import { TEST_IDS } from '../../../../constants';
import type { ListFilterKey } from '../../../../hooks/useRowFilters';
import type { RowFilters } from '../../../../types';
import { STATUS_LABELS } from '../../../../utils/format';
import { hasActiveFilters, type DistinctValues } from '../../../../utils/rows';
import { getStyles } from './BlotterToolbar.styles';

export interface BlotterToolbarProps {
  filters: RowFilters;
  /** Values present in the rows; asked for when a filter menu opens. */
  getDistinct: () => DistinctValues;
  onListChange: (key: ListFilterKey, values: string[]) => void;
  onSearchChange: (search: string) => void;
  onClear: () => void;
  /** Narrow layouts show the search and only the most useful filters. */
  compact: boolean;
}

const SIDES = ['buy', 'sell'];
const EMPTY_DISTINCT: DistinctValues = { engine: [], strategy: [], symbol: [] };
const STATUSES = Object.keys(STATUS_LABELS);

const toOptions = (values: string[], labels?: Record<string, string>): Array<SelectableValue<string>> =>
  values.map((v) => ({ value: v, label: labels?.[v] ?? v }));

/** Filters by engine, strategy, symbol, side and status, and a quick search. */
export const BlotterToolbar = memo(function BlotterToolbar({
  filters,
  getDistinct,
  onListChange,
  onSearchChange,
  onClear,
  compact,
}: BlotterToolbarProps) {
  const styles = useStyles2(getStyles);
  const [distinct, setDistinct] = useState<DistinctValues>(EMPTY_DISTINCT);
  const refresh = () => setDistinct(getDistinct());
  const lists = useMemo(
    () =>
      [
        { key: 'engine', label: 'Engine', options: toOptions(union(distinct.engine, filters.engine)), wide: false },
        {
          key: 'strategy',
          label: 'Strategy',
          options: toOptions(union(distinct.strategy, filters.strategy)),
          wide: false,
        },
        { key: 'symbol', label: 'Symbol', options: toOptions(union(distinct.symbol, filters.symbol)), wide: true },
        { key: 'side', label: 'Side', options: toOptions(SIDES, { buy: 'Buy', sell: 'Sell' }), wide: true },
        { key: 'status', label: 'Status', options: toOptions(STATUSES, STATUS_LABELS), wide: false },
      ] as Array<{ key: ListFilterKey; label: string; options: Array<SelectableValue<string>>; wide: boolean }>,
    [distinct, filters.engine, filters.strategy, filters.symbol]
  );

  return (
    <div className={styles.toolbar} role="search" aria-label="Filter orders" data-testid={TEST_IDS.toolbar.root}>
      <div className={styles.search}>
        <Input
          type="search"
          value={filters.search}
          placeholder="Search id, symbol, strategy…"
          aria-label="Quick search"
          data-testid={TEST_IDS.toolbar.search}
          onChange={(e) => onSearchChange(e.currentTarget.value)}
        />
      </div>
      {lists
        .filter((l) => !compact || l.wide || filters[l.key].length > 0)
        .map((l) => (
          <div key={l.key} className={styles.filter} data-testid={`${TEST_IDS.toolbar.filter}-${l.key}`}>
            <MultiSelect<string>
              aria-label={`Filter by ${l.label.toLowerCase()}`}
              placeholder={l.label}
              options={l.options}
              value={filters[l.key]}
              onChange={(items: Array<SelectableValue<string>>) =>
                onListChange(
                  l.key,
                  items.map((i) => i.value!).filter((v) => v !== undefined)
                )
              }
              onOpenMenu={refresh}
              isClearable
              closeMenuOnSelect={false}
              noOptionsMessage="No values yet"
            />
          </div>
        ))}
      {hasActiveFilters(filters) && (
        <Button variant="secondary" fill="text" size="sm" onClick={onClear} data-testid={TEST_IDS.toolbar.clear}>
          Clear filters
        </Button>
      )}
    </div>
  );
});

function union(a: string[], b: string[]): string[] {
  if (b.every((v) => a.includes(v))) {
    return a;
  }
  return Array.from(new Set([...a, ...b])).sort();
}
