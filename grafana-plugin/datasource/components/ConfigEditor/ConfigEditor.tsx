import React from 'react';
import { onUpdateDatasourceSecureJsonDataOption, type DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { Field, Input, SecretInput } from '@grafana/ui';

import { DS_TEST_IDS } from '../../constants';
import type { FeedSecureSettings, FeedSettings } from '../../types';

export type ConfigEditorProps = DataSourcePluginOptionsEditorProps<FeedSettings, FeedSecureSettings>;

/**
 * The exporter's URL and the viewer token. The token is write-only: once saved, Grafana
 * keeps it server-side (secureJsonData) and the browser only learns that it is configured;
 * Reset clears it. Save & test runs testDatasource (health.ts).
 */
export const ConfigEditor = (props: ConfigEditorProps) => {
  const { options, onOptionsChange } = props;
  const configured = Boolean(options.secureJsonFields?.viewerToken);
  return (
    <>
      <Field
        label="Exporter URL"
        description="The tradewatch exporter as Grafana's server reaches it, e.g. http://exporter:9478 (no /feed). Browsers never connect to it directly: Grafana's data proxy does."
      >
        <Input
          data-testid={DS_TEST_IDS.config.url}
          width={48}
          value={options.url ?? ''}
          placeholder="http://exporter:9478"
          onChange={(e) => onOptionsChange({ ...options, url: e.currentTarget.value.trim() })}
        />
      </Field>
      <Field
        label="Viewer token"
        description="A read-only viewer token (TRADEWATCH_VIEWER_TOKENS). Kept encrypted by Grafana and added to each request by its data proxy; no browser and no dashboard ever sees it."
      >
        <div data-testid={DS_TEST_IDS.config.token}>
          <SecretInput
            width={48}
            isConfigured={configured}
            value={options.secureJsonData?.viewerToken ?? ''}
            placeholder="viewer token"
            autoComplete="off"
            onReset={() =>
              onOptionsChange({
                ...options,
                secureJsonFields: { ...options.secureJsonFields, viewerToken: false },
                secureJsonData: { ...options.secureJsonData, viewerToken: '' },
              })
            }
            onChange={onUpdateDatasourceSecureJsonDataOption(props, 'viewerToken')}
          />
        </div>
      </Field>
    </>
  );
};
