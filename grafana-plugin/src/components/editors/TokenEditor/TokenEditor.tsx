import React, { useState } from 'react';
import type { StandardEditorProps } from '@grafana/data';
import { Button, Input, useStyles2 } from '@grafana/ui';

import { TEST_IDS } from '../../../constants';
import { getStyles } from './TokenEditor.styles';

export const TOKEN_WARNING =
  'Saved in the dashboard JSON: everyone who can edit this dashboard (or read its JSON) can see it. ' +
  'Use a read-only viewer token (TRADEWATCH_VIEWER_TOKENS), never an ingest token.';

/** The viewer token, masked by default, with the warning about who can read it. */
export const TokenEditor = ({ value, onChange }: StandardEditorProps<string>) => {
  const styles = useStyles2(getStyles);
  const [shown, setShown] = useState(false);
  return (
    <div data-testid={TEST_IDS.editors.token}>
      <div className={styles.row}>
        <Input
          type={shown ? 'text' : 'password'}
          value={value ?? ''}
          placeholder="viewer token"
          autoComplete="off"
          spellCheck={false}
          aria-label="Viewer token"
          onChange={(e) => onChange(e.currentTarget.value.trim())}
        />
        <Button variant="secondary" fill="outline" onClick={() => setShown((s) => !s)} aria-pressed={shown}>
          {shown ? 'Hide' : 'Show'}
        </Button>
      </div>
      <p className={styles.warning}>{TOKEN_WARNING}</p>
    </div>
  );
};
