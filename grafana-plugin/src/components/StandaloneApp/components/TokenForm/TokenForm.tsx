import React, { useState } from 'react';
import { Button, Field, Input, useStyles2 } from '@grafana/ui';

import { TEST_IDS } from '../../../../constants';
import { getStyles } from './TokenForm.styles';

export interface TokenFormProps {
  feedUrl: string;
  onSubmit: (token: string) => void;
  /** Why the form is shown again, e.g. the feed refused the last token. */
  notice?: string;
}

/** Asks for the viewer token. It is posted nowhere: it stays in this tab's sessionStorage. */
export const TokenForm = ({ feedUrl, onSubmit, notice }: TokenFormProps) => {
  const styles = useStyles2(getStyles);
  const [value, setValue] = useState('');
  return (
    <div className={styles.page}>
      <form
        className={styles.card}
        method="post"
        action="#"
        autoComplete="off"
        data-testid={TEST_IDS.standalone.form}
        onSubmit={(e) => {
          e.preventDefault();
          if (value.trim()) {
            onSubmit(value.trim());
          }
        }}
      >
        <h1 className={styles.title}>tradewatch blotter</h1>
        <p className={styles.text}>
          Live working orders from <code>{feedUrl}</code>. Enter a read-only viewer token (one of the exporter’s
          TRADEWATCH_VIEWER_TOKENS, or the one it printed at its first start).
        </p>
        {notice && (
          <p className={styles.notice} role="alert">
            {notice}
          </p>
        )}
        <Field
          label="Viewer token"
          htmlFor="viewer-token"
          description="Kept in this tab only (sessionStorage), sent to the exporter as a WebSocket subprotocol, never in the URL."
        >
          <Input
            id="viewer-token"
            type="password"
            value={value}
            autoFocus
            spellCheck={false}
            autoComplete="off"
            data-testid={TEST_IDS.standalone.token}
            onChange={(e) => setValue(e.currentTarget.value)}
          />
        </Field>
        <Button type="submit" disabled={!value.trim()} data-testid={TEST_IDS.standalone.connect}>
          Open the blotter
        </Button>
      </form>
    </div>
  );
};
