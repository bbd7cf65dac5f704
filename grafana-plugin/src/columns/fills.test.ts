import { FILL_COLUMNS } from '../constants';
import { fitColumns, gridTemplate } from '../components/Grid';
import { FILL_COLUMN_DEFS } from './fills';

describe('fill columns', () => {
  it('keeps every column on a wide panel, in the tape order', () => {
    expect(fitColumns(FILL_COLUMN_DEFS, FILL_COLUMNS, 1200)).toEqual(FILL_COLUMNS);
  });

  it('on a narrow panel drops engine, fee and strategy before time and price; symbol, side and PnL stay', () => {
    expect(fitColumns(FILL_COLUMN_DEFS, FILL_COLUMNS, 480)).toEqual([
      'time',
      'symbol',
      'side',
      'price',
      'quantity',
      'realizedPnl',
    ]);
    expect(fitColumns(FILL_COLUMN_DEFS, FILL_COLUMNS, 100)).toEqual(['symbol', 'side', 'realizedPnl']);
  });

  it('gives each column its minimum width and a share of the rest', () => {
    expect(gridTemplate(FILL_COLUMN_DEFS, ['symbol', 'realizedPnl'])).toBe('minmax(76px, 1fr) minmax(92px, 1.1fr)');
  });
});
