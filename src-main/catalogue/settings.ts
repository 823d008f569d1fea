import type Database from 'better-sqlite3';
import { z } from 'zod';
import {
  archiveDaysSchema,
  caseNumberFormatSchema,
  lateApprovalHoursSchema,
  OPTIONAL_LABEL_FIELDS,
  retentionYearsSchema,
} from '../contract';
import { caseNumberFormatProblem, DEFAULT_CASE_NUMBER_FORMAT, DEFAULT_RETENTION } from '../domain';

/**
 * The unit's policy, one JSON value per key in unit_settings. Every key has a default, so a fresh
 * catalogue behaves sensibly and a stored value that no longer parses falls back to it (and is
 * reported by `problems()`) instead of stopping the station.
 */
export const UNIT_POLICY_SCHEMA = {
  /** Delete clips from the recorder once their copy is proven. Off until a custodian turns it on. */
  clearAfterIngest: z.boolean(),
  /** SHA-256 always; SM3 (GB/T 32905) as well where the unit asks for it. */
  hashes: z.union([
    z.tuple([z.literal('sha256')]),
    z.tuple([z.literal('sha256'), z.literal('sm3')]),
  ]),
  /** Concurrent copies per destination disk: more thrashes a spinning disk, fewer idles an SSD. */
  copyConcurrencyPerDisk: z.number().int().min(1).max(16),
  /** D-CONTINUOUS: a pause between consecutive clips longer than this is reported as a gap. */
  continuityGapSeconds: z.number().int().min(1).max(86_400),
  /** D-CONTINUOUS: recorders overlap consecutive files a little; more than this is reported. */
  continuityOverlapSeconds: z.number().int().min(0).max(3_600),
  /** The Ambarella bulk protocol password: per-unit configuration, never a shipped default. */
  ambaPassword: z.string().min(1).max(64).nullable(),
  /** The dock's IC-card reader (USB ids), for officers confirming themselves; none by default. */
  cardReader: z
    .object({
      vendorId: z.number().int().min(0).max(0xffff),
      productId: z.number().int().min(0).max(0xffff),
    })
    .nullable(),
  /** D-CONTENT: the label fields the unit requires beyond D-LABEL's own. */
  labelRequiredFields: z.array(z.enum(OPTIONAL_LABEL_FIELDS)),
  /** The unit's case numbers: a pattern that compiles and an example it accepts. */
  caseNumberFormat: caseNumberFormatSchema.superRefine((format, ctx) => {
    const problem = caseNumberFormatProblem(format);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
  }),
  archiveDays: archiveDaysSchema,
  lateApprovalHours: lateApprovalHoursSchema,
  retentionDailyYears: retentionYearsSchema,
  retentionCaseFileYears: retentionYearsSchema,
} as const;

type PolicySchema = typeof UNIT_POLICY_SCHEMA;
export type UnitPolicy = { [K in keyof PolicySchema]: z.infer<PolicySchema[K]> };
export type UnitPolicyKey = keyof UnitPolicy;

export const DEFAULT_UNIT_POLICY: Readonly<UnitPolicy> = Object.freeze<UnitPolicy>({
  clearAfterIngest: false,
  hashes: ['sha256'],
  copyConcurrencyPerDisk: 4,
  continuityGapSeconds: 120,
  continuityOverlapSeconds: 2,
  ambaPassword: null,
  cardReader: null,
  labelRequiredFields: [],
  caseNumberFormat: DEFAULT_CASE_NUMBER_FORMAT,
  archiveDays: 30,
  lateApprovalHours: 24,
  retentionDailyYears: DEFAULT_RETENTION.dailyYears,
  retentionCaseFileYears: DEFAULT_RETENTION.caseFileYears,
});

export const UNIT_POLICY_KEYS = Object.keys(UNIT_POLICY_SCHEMA) as UnitPolicyKey[];

export function isUnitPolicyKey(key: string): key is UnitPolicyKey {
  return Object.hasOwn(UNIT_POLICY_SCHEMA, key);
}

/** The unit_settings table, read and written as a typed policy. */
export class SettingsRepository {
  constructor(private readonly db: Database.Database) {}

  policy(): UnitPolicy {
    const policy: Record<string, unknown> = { ...DEFAULT_UNIT_POLICY };
    for (const { key, value } of this.rows()) {
      if (!isUnitPolicyKey(key)) continue;
      const parsed = parseValue(key, value);
      if (parsed.ok) policy[key] = parsed.value;
    }
    return policy as UnitPolicy;
  }

  get<K extends UnitPolicyKey>(key: K): UnitPolicy[K] {
    return this.policy()[key];
  }

  /** Validates and stores one value; the caller audits the change (never with the password). */
  set<K extends UnitPolicyKey>(key: K, value: UnitPolicy[K]): void {
    const checked = UNIT_POLICY_SCHEMA[key].parse(value);
    this.db
      .prepare(
        `INSERT INTO unit_settings (key, value) VALUES (?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      )
      .run(key, JSON.stringify(checked));
  }

  /** Back to the default. */
  reset(key: UnitPolicyKey): void {
    this.db.prepare('DELETE FROM unit_settings WHERE key = ?').run(key);
  }

  /** The policy as it may be shown to anyone: the device password only as set or not. */
  publicPolicy(): Omit<UnitPolicy, 'ambaPassword'> & { ambaPasswordSet: boolean } {
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
    return this.db
      .prepare<[], { key: string; value: string }>('SELECT key, value FROM unit_settings')
      .all();
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
    return { ok: false, problem: 'not JSON' };
  }
  const parsed = UNIT_POLICY_SCHEMA[key].safeParse(json);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, problem: parsed.error.issues.map((i) => i.message).join('; ') };
}
