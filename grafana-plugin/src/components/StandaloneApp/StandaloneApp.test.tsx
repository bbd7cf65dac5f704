import React from 'react';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';

import { TEST_IDS } from '../../constants';
import { TOKEN_STORAGE_KEY } from '../../hooks/useStoredToken';
import { fakeFactory, fill, order } from '../../testUtils/fakeFeedClient';
import { StandaloneApp } from './StandaloneApp';

describe('StandaloneApp', () => {
  beforeEach(() => sessionStorage.clear());

  it('asks for the token, then connects to the same-host feed with it', async () => {
    const factory = fakeFactory();
    render(<StandaloneApp feedUrl="ws://localhost/feed" createClient={factory} />);
    expect(factory.clients).toHaveLength(0);
    fireEvent.change(screen.getByTestId(TEST_IDS.standalone.token), { target: { value: 'viewer-1' } });
    fireEvent.click(screen.getByTestId(TEST_IDS.standalone.connect));
    expect(factory.last().options).toEqual({ url: 'ws://localhost/feed', token: 'viewer-1' });
    expect(sessionStorage.getItem(TOKEN_STORAGE_KEY)).toBe('viewer-1');
    act(() => factory.last().snapshot([order({ order_id: 's1' })]));
    expect(await screen.findByTestId(TEST_IDS.blotter.row)).toHaveAttribute('data-order-id', 's1');
  });

  it('shows the 401 and lets the user enter another token', async () => {
    sessionStorage.setItem(TOKEN_STORAGE_KEY, 'wrong');
    const factory = fakeFactory();
    render(<StandaloneApp feedUrl="ws://localhost/feed" createClient={factory} />);
    const message = 'cannot reach the feed at ws://localhost/feed: 401, check the viewer token';
    act(() =>
      factory.last().setState({
        status: 'reconnecting',
        attempt: 1,
        staleSince: null,
        problem: { kind: 'unauthorized', message, status: 401 },
      })
    );
    expect(screen.getByTestId(TEST_IDS.state.error)).toHaveTextContent(message);
    fireEvent.click(screen.getByTestId(TEST_IDS.standalone.changeToken));
    await waitFor(() => expect(factory.last().closed).toBe(true));
    expect(screen.getByTestId(TEST_IDS.standalone.form)).toHaveTextContent(message);
    expect(sessionStorage.getItem(TOKEN_STORAGE_KEY)).toBeNull();
  });

  it('opens in the mode asked (?mode=fills) and switches between orders and the fills tape', async () => {
    sessionStorage.setItem(TOKEN_STORAGE_KEY, 'viewer-1');
    const factory = fakeFactory();
    const changes: string[] = [];
    render(
      <StandaloneApp
        feedUrl="ws://localhost/feed"
        createClient={factory}
        initialMode="fills"
        onModeChange={(m) => changes.push(m)}
      />
    );
    expect(factory.last().subscriptions[0].channel).toBe('fills');
    act(() => factory.last().snapshotFills([fill({ fill_id: 'f-1', realized_pnl: 3 })]));
    expect(await screen.findByTestId(TEST_IDS.fills.row)).toHaveTextContent('+3.00');
    fireEvent.click(screen.getByLabelText('Orders'));
    expect(changes).toEqual(['orders']);
    expect(factory.clients[0].closed).toBe(true);
    expect(factory.last().subscriptions[0].channel).toBe('orders');
    expect(screen.getByTestId(TEST_IDS.standalone.mode)).toHaveAttribute('data-mode', 'orders');
  });
});
