import {
  isUnitPolicyKey,
  UNIT_POLICY_FIELDS,
  type UnitPolicy,
  type UnitPolicyKey,
  type UnitPolicyView,
} from '../contract';
import { DEFAULT_UNIT_POLICY, policyValueProblem } from '../domain';
import type { Sql } from './sql';

/**
 * The unit's policy, one JSON value per key in unit_settings. Every key has a default, so a fresh
 * catalogue behaves sensibly and a stored value that no longer parses falls back to it (and is
 * reported by `problems()`) instead of stopping the station.
 */
export class SettingsReads {
  constructor(protected readonly sql: Sql) {}

  policy(): UnitPolicy {
    const policy: Record<string, unknown> = { ...DEFAULT_UNIT_POLICY };
    for (const { key, value } of this.rows()) {
      if (!isUnitPolicyKey(key)) continue;
      const parsed = parseValue(key, value);
      if (parsed.ok) policy[key] = parsed.value;
    }
    return policy as UnitPolicy;
  }

  /** One value: only its row is read and parsed (filing asks for a few on every request). */
  get<K extends UnitPolicyKey>(key: K): UnitPolicy[K] {
    const row = this.sql
      .read<[string], { value: string }>('SELECT value FROM unit_settings WHERE key = ?')
      .get(key);
    const parsed = row === undefined ? null : parseValue(key, row.value);
    return (parsed?.ok ? parsed.value : DEFAULT_UNIT_POLICY[key]) as UnitPolicy[K];
  }

  /** The policy as it may be shown to anyone: the device password only as set or not. */
  publicPolicy(): UnitPolicyView {
    const { ambaPassword, ...rest } = this.policy();
    return { ...rest, ambaPasswordSet: ambaPassword !== null };
  }

  /** Stored values that do not parse (and are therefore ignored in favour of the default). */
  problems(): { key: string; problem: string }[] {
    const problems: { key: string; problem: string }[] = [];
    for (const { key, value } of this.rows()) {
      if (!isUnitPolicyKey(key)) continue;
      const parsed = parseValue(key, value);
      if (!parsed.ok) problems.push({ key, problem: parsed.problem });
    }
    return problems;
  }

  private rows(): { key: string; value: string }[] {
    return this.sql
      .read<[], { key: string; value: string }>('SELECT key, value FROM unit_settings')
      .all();
  }
}

/** The unit_settings table, written inside a catalogue transaction. */
export class SettingsRepository extends SettingsReads {
  /** Validates and stores one value; the caller audits the change (never with the password). */
  set<K extends UnitPolicyKey>(key: K, value: UnitPolicy[K]): void {
    const checked = parseChecked(key, value);
    this.sql
      .write(
        `INSERT INTO unit_settings (key, value) VALUES (?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      )
      .run(key, JSON.stringify(checked));
  }

  /** Back to the default. */
  reset(key: UnitPolicyKey): void {
    this.sql.write('DELETE FROM unit_settings WHERE key = ?').run(key);
  }
}

function parseValue(
  key: UnitPolicyKey,
  raw: string,
): { ok: true; value: unknown } | { ok: false; problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    // Reported by problems(); the default stands in for it meanwhile.
    return { ok: false, problem: 'not JSON' };
  }
  const parsed = UNIT_POLICY_FIELDS[key].safeParse(json);
  if (!parsed.success) {
    return { ok: false, problem: parsed.error.issues.map((i) => i.message).join('; ') };
  }
  const problem = policyValueProblem(key, parsed.data as UnitPolicy[typeof key]);
  return problem === null ? { ok: true, value: parsed.data } : { ok: false, problem };
}

/** A value as it will be stored, or a ZodError / Error saying why it cannot be. */
function parseChecked<K extends UnitPolicyKey>(key: K, value: UnitPolicy[K]): UnitPolicy[K] {
  const checked = UNIT_POLICY_FIELDS[key].parse(value) as UnitPolicy[K];
  const problem = policyValueProblem(key, checked);
  if (problem !== null) throw new Error(`${key}: ${problem}`);
  return checked;
}
