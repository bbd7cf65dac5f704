/*
 * Entry of the standalone /blotter page (built by standalone/webpack.config.ts). Here React,
 * @grafana/ui and @grafana/data are bundled in and the theme is made with createTheme.
 */
import React from 'react';
import { createRoot } from 'react-dom/client';
import { injectGlobal } from '@emotion/css';
import { createTheme } from '@grafana/data';
import { ThemeContext } from '@grafana/ui';

import { StandaloneApp } from '../components/StandaloneApp';
import { createFeedClient } from '../feed';
import type { BlotterMode } from '../types';

declare global {
  interface Window {
    __grafana_public_path__?: string;
  }
}

// @grafana/ui's Icon looks for its SVGs under <public path>build/img/icons/ (copied there by the build)
window.__grafana_public_path__ = window.location.pathname.replace(/[^/]*$/, '');

function themeMode(): 'light' | 'dark' {
  const asked = new URLSearchParams(window.location.search).get('theme');
  if (asked === 'light' || asked === 'dark') {
    return asked;
  }
  return window.matchMedia?.('(prefers-color-scheme: light)').matches ? 'light' : 'dark';
}

const theme = createTheme({ colors: { mode: themeMode() } });

injectGlobal({
  '*, *::before, *::after': { boxSizing: 'border-box' },
  'html, body': {
    margin: 0,
    height: '100%',
    background: theme.colors.background.canvas,
    color: theme.colors.text.primary,
    fontFamily: theme.typography.fontFamily,
    fontSize: theme.typography.htmlFontSize,
    colorScheme: theme.isDark ? 'dark' : 'light',
  },
});

/** `?mode=fills` opens the fills tape; the mode switch keeps the URL in step (a reload stays). */
function initialMode(): BlotterMode {
  return new URLSearchParams(window.location.search).get('mode') === 'fills' ? 'fills' : 'orders';
}

function rememberMode(mode: BlotterMode): void {
  const url = new URL(window.location.href);
  if (mode === 'orders') {
    url.searchParams.delete('mode');
  } else {
    url.searchParams.set('mode', mode);
  }
  window.history.replaceState(null, '', url);
}

const feedUrl = `${window.location.protocol === 'https:' ? 'wss:' : 'ws:'}//${window.location.host}/feed`;

createRoot(document.getElementById('root')!).render(
  <ThemeContext.Provider value={theme}>
    <StandaloneApp
      feedUrl={feedUrl}
      createClient={createFeedClient}
      initialMode={initialMode()}
      onModeChange={rememberMode}
    />
  </ThemeContext.Provider>
);
