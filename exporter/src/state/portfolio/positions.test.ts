import { Decimal } from '../common/decimal';
import { Position } from './positions';

const n = (d: Decimal) => d.toNumber();

describe('Position (average cost, quote currency)', () => {
  test('partial fills and adds at different prices move the average; a reduction realizes on the reduced part', () => {
    const p = new Position('BTC/USD');
    p.applyFill('buy', 1, 100, '0.10');
    p.applyFill('buy', 3, 120, '0.36');
    // avg = (1·100 + 3·120) / 4 = 460 / 4 = 115
    expect(n(p.quantity)).toBe(4);
    expect(n(p.avgPrice)).toBe(115);
    expect(n(p.realized)).toBe(-0.46);
    const r1 = p.applyFill('sell', 2, 130, '0.26');
    // (130 − 115)·2 − 0.26 = 29.74; the average does not move on a reduction
    expect(n(r1.realized)).toBe(29.74);
    expect(r1.roundTrip).toBeUndefined();
    expect(n(p.avgPrice)).toBe(115);
    const r2 = p.applyFill('sell', 2, 110, '0.22');
    // (110 − 115)·2 − 0.22 = −10.22; the trip: −0.46 + 29.74 − 10.22 = 19.06
    expect(n(r2.realized)).toBe(-10.22);
    expect(n(r2.roundTrip!.pnl)).toBe(19.06);
    expect(n(r2.roundTrip!.value!)).toBe(19.06);
    expect(p.isFlat).toBe(true);
    expect(n(p.realized)).toBe(19.06);
    expect(n(p.fees)).toBe(0.94);
  });

  test('a flip long → short → long splits each crossing fill, fees pro rata', () => {
    const p = new Position('ETH/USD');
    p.applyFill('buy', 2, 100, 2); // trip −2
    const flip1 = p.applyFill('sell', 5, 110, 5);
    // closing 2 (fee 5·2/5 = 2), opening 3 (fee 3); gross (110 − 100)·2 = 20
    // realized 20 − 5 = 15; ended trip: −2 + 20 − 2 = 16; new trip starts at −3
    expect(n(flip1.realized)).toBe(15);
    expect(n(flip1.roundTrip!.pnl)).toBe(16);
    expect(n(p.quantity)).toBe(-3);
    expect(n(p.avgPrice)).toBe(110);
    const flip2 = p.applyFill('buy', 4, 120, 4);
    // closing 3 (fee 3), opening 1 (fee 1); gross (120 − 110)·3·(−1) = −30
    // realized −30 − 4 = −34; ended trip: −3 − 30 − 3 = −36; new trip −1
    expect(n(flip2.realized)).toBe(-34);
    expect(n(flip2.roundTrip!.pnl)).toBe(-36);
    expect(n(p.quantity)).toBe(1);
    expect(n(p.avgPrice)).toBe(120);
    // realized so far = ended trips + the fee opening the trip in progress: 16 − 36 − 1
    expect(n(p.realized)).toBe(-21);
    expect(n(p.tripPnl)).toBe(-1);
  });

  test('a round trip can end break-even: fees exactly eaten by the move', () => {
    const p = new Position('XRP/USD');
    p.applyFill('buy', 1, 100, 1);
    const close = p.applyFill('sell', 1, 102, 1);
    expect(n(close.roundTrip!.pnl)).toBe(0);
  });

  test('realized PnL in the valuation currency is booked at each fill’s own rate', () => {
    const p = new Position('ETH/BTC');
    p.applyFill('buy', 2, '0.05', '0.0001', Decimal.from(50000)); // fee 0.0001 BTC at 50 000 = 5 USD
    const close = p.applyFill('sell', 2, '0.06', '0.00012', Decimal.from(40000));
    // (0.06 − 0.05)·2 − 0.00012 = 0.01988 BTC at 40 000 = 795.2 USD; trip −5 + 795.2 = 790.2
    expect(n(p.realized)).toBe(0.01978);
    expect(n(p.realizedValue)).toBe(790.2);
    expect(n(close.roundTrip!.value!)).toBe(790.2);
  });

  test('without a rate the valuation figures leave the fill out and the trip has no value', () => {
    const p = new Position('ETH/BTC');
    p.applyFill('buy', 1, '0.05', '0.0001', null);
    const close = p.applyFill('sell', 1, '0.06', 0, Decimal.from(40000));
    expect(close.roundTrip!.value).toBeNull();
    expect(n(close.roundTrip!.pnl)).toBe(0.0099);
    expect(n(p.realizedValue)).toBe(400); // only the closing fill had a rate: 0.01 BTC · 40 000
  });

  test('binary floating-point dust does not keep a position open', () => {
    const p = new Position('ETH/USD');
    p.applyFill('buy', 0.1, 100);
    p.applyFill('buy', 0.2, 100);
    // 0.1 + 0.2 is held exactly as 0.3; an engine that sends 0.30000000000000004 still closes it
    const close = p.applyFill('sell', 0.1 + 0.2, 101);
    expect(p.isFlat).toBe(true);
    expect(close.roundTrip).toBeDefined();
    const q = new Position('ETH/USD');
    q.applyFill('buy', 0.1 + 0.2, 100);
    q.applyFill('sell', 0.3, 101); // leaves 4e-17: dust
    expect(q.isFlat).toBe(true);
  });

  test('a real flip is not mistaken for dust', () => {
    const p = new Position('BTC/USD');
    p.applyFill('buy', 1, 100);
    p.applyFill('sell', '1.000001', 100);
    expect(n(p.quantity)).toBe(-0.000001);
  });

  test('a snapshot reset restarts the trip and keeps realized PnL', () => {
    const p = new Position('BTC/USD');
    p.applyFill('buy', 1, 100, 1);
    p.reset(2, 90);
    expect(n(p.quantity)).toBe(2);
    expect(n(p.avgPrice)).toBe(90);
    expect(n(p.realized)).toBe(-1);
    expect(n(p.tripPnl)).toBe(0);
  });
});
