import { ALL_COLUMNS } from '../constants';
import { fitColumns, gridTemplate } from '../components/Grid';
import { ORDER_COLUMN_DEFS } from './orders';

describe('fitColumns', () => {
  it('keeps every chosen column when they fit', () => {
    expect(fitColumns(ORDER_COLUMN_DEFS, ALL_COLUMNS, 2000)).toEqual(ALL_COLUMNS);
  });

  it('hides the least important columns first on a narrow panel', () => {
    const fitted = fitColumns(ORDER_COLUMN_DEFS, ALL_COLUMNS, 600);
    expect(fitted).toEqual(expect.arrayContaining(['symbol', 'side', 'status', 'quantity', 'limitPrice']));
    expect(fitted).not.toContain('type');
    expect(fitted).not.toContain('engine');
    const width = fitted.reduce((s, id) => s + ORDER_COLUMN_DEFS[id].minWidth, 0);
    expect(width).toBeLessThanOrEqual(600);
  });

  it('keeps the essential columns on a phone, in their order', () => {
    expect(fitColumns(ORDER_COLUMN_DEFS, ALL_COLUMNS, 200)).toEqual(['symbol', 'side', 'status']);
  });

  it('respects the chosen columns and order', () => {
    expect(fitColumns(ORDER_COLUMN_DEFS, ['status', 'symbol'], 1000)).toEqual(['status', 'symbol']);
  });

  it('builds a grid template with one track per column', () => {
    expect(gridTemplate(ORDER_COLUMN_DEFS, ['symbol', 'side'])).toBe('minmax(76px, 1fr) minmax(44px, 0.6fr)');
  });
});
