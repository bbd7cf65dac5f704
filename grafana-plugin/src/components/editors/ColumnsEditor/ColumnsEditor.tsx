import React from 'react';
import type { StandardEditorProps } from '@grafana/data';
import { Button, Checkbox, useStyles2 } from '@grafana/ui';

import { ALL_COLUMNS, TEST_IDS } from '../../../constants';
import type { ColumnId } from '../../../types';
import { ORDER_COLUMN_DEFS } from '../../../columns/orders';
import { getStyles } from './ColumnsEditor.styles';

/** Which columns the blotter shows; narrow panels hide the less important ones on their own. */
export const ColumnsEditor = ({ value, onChange }: StandardEditorProps<ColumnId[]>) => {
  const styles = useStyles2(getStyles);
  const selected = new Set(value ?? ALL_COLUMNS);
  const toggle = (id: ColumnId) => {
    const next = new Set(selected);
    if (next.has(id)) {
      next.delete(id);
    } else {
      next.add(id);
    }
    onChange(ALL_COLUMNS.filter((c) => next.has(c)));
  };
  return (
    <div data-testid={TEST_IDS.editors.columns}>
      <div className={styles.list}>
        {ALL_COLUMNS.map((id) => (
          <Checkbox key={id} label={ORDER_COLUMN_DEFS[id].label} value={selected.has(id)} onChange={() => toggle(id)} />
        ))}
      </div>
      {selected.size < ALL_COLUMNS.length && (
        <Button variant="secondary" fill="text" size="sm" onClick={() => onChange(ALL_COLUMNS)}>
          Show all
        </Button>
      )}
    </div>
  );
};
