import { ReadGate } from './read-gate';

describe('ReadGate', () => {
  test('bounds reads per client and in all; a released slot goes to the next in line', async () => {
    const gate = new ReadGate(3, 2);
    const a1 = gate.tryAcquire('a');
    const a2 = gate.tryAcquire('a');
    expect(a1 && a2).toBeTruthy();
    expect(gate.tryAcquire('a')).toBeNull(); // a has its share
    const b1 = gate.tryAcquire('b');
    expect(b1).toBeTruthy();
    expect(gate.tryAcquire('c')).toBeNull(); // all taken
    const waiting = gate.acquire('c', 5000);
    a1?.();
    a1?.(); // a second release changes nothing
    const c1 = await waiting;
    expect(c1).toBeTruthy();
    expect(gate.running).toBe(3);
    expect(await gate.acquire('d', 20)).toBeNull(); // none came in time
    for (const r of [a2, b1, c1]) r?.();
    expect(gate.running).toBe(0);
  });
});
