/**
 * Tokens and roles. Secrets are compared in constant time (through fixed-length digests,
 * so neither content nor length leaks); logs name the token, never its secret.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { NamedToken } from '../config';
import { TokenBuckets } from '../limits/token-bucket';

export type Role = 'ingest' | 'viewer' | 'metrics';

export interface Principal {
  role: Role;
  name: string;
}

interface Entry {
  role: Role;
  name: string;
  digest: Buffer;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * How a secret presented at one door (a role) from one address is judged. A valid secret is
 * judged by its roles alone, whatever anyone at that address tried before; only a wrong
 * secret counts toward (and is refused by) that address's limit at that door.
 */
export type Verdict =
  | { ok: true; principal: Principal }
  | { ok: false; status: 403; reason: 'role'; roles: Role[] }
  | { ok: false; status: 401; reason: 'no_token' | 'bad_token' }
  /** `retryAfterMs`: until the address earns its next try at this door back. */
  | { ok: false; status: 429; reason: 'rate_limited'; retryAfterMs: number };

export class TokenRegistry {
  private readonly entries: Entry[] = [];
  /**
   * Wrong secrets per door and address (the viewer door is the read API, the probe and the
   * feed): `maxFailures` at once, earned back at `maxFailures` per `windowMs`.
   */
  private readonly failures: Record<Role, TokenBuckets>;

  constructor({ maxFailures = 20, windowMs = 60_000 }: { maxFailures?: number; windowMs?: number } = {}) {
    const make = () => new TokenBuckets({ burst: maxFailures, perSecond: (maxFailures * 1000) / windowMs });
    this.failures = { ingest: make(), viewer: make(), metrics: make() };
  }

  add(role: Role, tokens: readonly NamedToken[]): void {
    for (const t of tokens) this.entries.push({ role, name: t.name, digest: digest(t.secret) });
  }

  /** Every role this secret holds (one secret may be listed under several roles). */
  authenticate(secret: string | undefined): Principal[] {
    if (!secret) return [];
    const d = digest(secret);
    const found: Principal[] = [];
    // Compare against every entry, so the time taken does not tell which one matched.
    for (const e of this.entries)
      if (timingSafeEqual(d, e.digest)) found.push({ role: e.role, name: e.name });
    return found;
  }

  /**
   * Judges a secret presented for `role` from `address`. No secret is a plain 401 and not
   * counted (it guesses nothing). A wrong secret is a 401 and counts; past the limit a wrong
   * secret from that address at that door gets 429 instead. Secrets are 16+ characters of a
   * 66-character alphabet, so the limit is there against floods and log noise, and never
   * stands between a holder of a valid token and the service.
   */
  judge(role: Role, secret: string | undefined, address: string, now = Date.now()): Verdict {
    if (!secret) return { ok: false, status: 401, reason: 'no_token' };
    const principals = this.authenticate(secret);
    const principal = principals.find((p) => p.role === role);
    if (principal) return { ok: true, principal };
    if (principals.length > 0)
      return { ok: false, status: 403, reason: 'role', roles: principals.map((p) => p.role) };
    const failures = this.failures[role];
    if (failures.balance(address, now) < 1)
      return { ok: false, status: 429, reason: 'rate_limited', retryAfterMs: failures.waitMs(address, now) };
    failures.charge(address, 1, now);
    return { ok: false, status: 401, reason: 'bad_token' };
  }
}

/** URL- and subprotocol-safe random secret. */
/** A 429's `Retry-After`: the limiter's wait in whole seconds, at least 1 (every door says the same). */
export function retryAfterSeconds(retryAfterMs: number): number {
  return Math.max(1, Math.ceil(retryAfterMs / 1000));
}

export function generateSecret(): string {
  return randomBytes(24).toString('base64url');
}

export interface GeneratedTokens {
  ingest: NamedToken;
  viewer: NamedToken;
}

/**
 * First run without configured tokens: make an ingest and a viewer token and keep them in
 * the data dir (mode 0600), so they stay the same across restarts.
 */
export function loadOrCreateTokens(dataDir: string): GeneratedTokens {
  const file = path.join(dataDir, 'tokens.json');
  if (existsSync(file)) {
    // Present but damaged: refused, never silently replaced (engines holding the old tokens would get 401).
    let saved: { ingest?: unknown; viewer?: unknown } | null;
    try {
      saved = JSON.parse(readFileSync(file, 'utf8')) as { ingest?: unknown; viewer?: unknown };
    } catch (err) {
      throw new Error(
        `the generated tokens file ${file} cannot be read (${(err as Error).message}): restore it, or delete it to generate new tokens`,
        { cause: err },
      );
    }
    if (typeof saved?.ingest !== 'string' || typeof saved.viewer !== 'string')
      throw new Error(
        `the generated tokens file ${file} lacks an ingest or viewer token: restore it, or delete it to generate new tokens`,
      );
    return {
      ingest: { name: 'generated-ingest', secret: saved.ingest },
      viewer: { name: 'generated-viewer', secret: saved.viewer },
    };
  }
  mkdirSync(dataDir, { recursive: true });
  const ingest = generateSecret();
  const viewer = generateSecret();
  writeFileSync(file, JSON.stringify({ ingest, viewer }, null, 2) + '\n', { mode: 0o600 });
  return {
    ingest: { name: 'generated-ingest', secret: ingest },
    viewer: { name: 'generated-viewer', secret: viewer },
  };
}

/**
 * The viewer token of Grafana's feed data source: the one the operator gave, else the one
 * kept in `file`, else a new one. It is written to `file` (atomically, mode 0644: the file
 * sits in a volume only the exporter and Grafana mount, and Grafana runs as another user),
 * where Grafana's provisioning reads it with $__file{…}; so no token is in any repository
 * file or dashboard.
 */
export function grafanaViewerToken(file: string, given: string | null): NamedToken {
  let secret = given;
  if (!secret && existsSync(file)) {
    const kept = readFileSync(file, 'utf8').trim();
    if (!/^[A-Za-z0-9._~-]{16,}$/.test(kept))
      throw new Error(
        `the Grafana viewer token file ${file} does not hold a token: delete it to generate a new one`,
      );
    secret = kept;
  }
  secret ??= generateSecret();
  if (!existsSync(file) || readFileSync(file, 'utf8').trim() !== secret) {
    mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, secret + '\n', { mode: 0o644 });
    renameSync(tmp, file);
  }
  return { name: 'grafana', secret };
}
