/** The risk slice: whether the engine is halted (and why, and how often), and its risk limits. */
import type { RiskEvent } from '../../events/schema';

export class RiskSlice {
  halted = false;
  haltReason: string | undefined;
  haltsTotal = 0;
  readonly riskLimits = new Map<string, { value: number; limit: number }>();

  /** A `risk` event (the engine's status changes after it). */
  onRisk(e: RiskEvent): void {
    if (e.halted !== undefined) {
      if (e.halted && !this.halted) this.haltsTotal += 1;
      this.halted = e.halted;
      this.haltReason = e.halted ? e.halt_reason : undefined;
    }
    if (e.limits) for (const [name, v] of Object.entries(e.limits)) this.riskLimits.set(name, v);
  }
}
