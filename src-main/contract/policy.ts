import { z } from 'zod';
import { OPTIONAL_LABEL_FIELDS } from './labels';
import { empty, method } from './method-spec';

/** The unit's policy (D-CUSTODIAN: custodians set it; everyone who files reads what they need). */

/** A unit's case-number format: a pattern and an example that shows it to a person. */
export const caseNumberFormatSchema = z
  .object({
    pattern: z.string().min(1).max(500),
    example: z.string().trim().min(1).max(64),
  })
  .strict();
/** D-ARCHIVE: days from a case's close to its archive-by date (30; 60 in some units). */
export const archiveDaysSchema = z.number().int().min(1).max(366);
/** D-LATE-START: hours an emergency case has to be approved (24; 48 in some units). */
export const lateApprovalHoursSchema = z.number().int().min(1).max(168);
/** D-RETAIN: years footage is kept. */
export const retentionYearsSchema = z.number().int().min(1).max(100);

/** How a copy is proven: SHA-256 always, SM3 (GB/T 32905) as well where the unit asks. */
export const HASH_ALGORITHMS = ['sha256', 'sm3'] as const;
export type HashAlgorithm = (typeof HASH_ALGORITHMS)[number];

/**
 * Every key of the unit policy with the values it may take: the one definition the catalogue
 * stores, the RPC accepts and the screens offer. Defaults are rules, and live in the domain.
 */
export const UNIT_POLICY_FIELDS = {
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
    .strict()
    .nullable(),
  /** D-CONTENT: the label fields the unit requires beyond D-LABEL's own. */
  labelRequiredFields: z.array(z.enum(OPTIONAL_LABEL_FIELDS)).max(OPTIONAL_LABEL_FIELDS.length),
  /** The unit's case numbers: a pattern that compiles and an example it accepts. */
  caseNumberFormat: caseNumberFormatSchema,
  archiveDays: archiveDaysSchema,
  lateApprovalHours: lateApprovalHoursSchema,
  retentionDailyYears: retentionYearsSchema,
  retentionCaseFileYears: retentionYearsSchema,
  /** D-LONGTERM: years between two read-back checks of a long-term disc (4 by default). */
  discCheckYears: z.number().int().min(1).max(20),
} as const;

type PolicyFields = typeof UNIT_POLICY_FIELDS;
export type UnitPolicy = { [K in keyof PolicyFields]: z.infer<PolicyFields[K]> };
export type UnitPolicyKey = keyof UnitPolicy;

export function isUnitPolicyKey(key: string): key is UnitPolicyKey {
  return Object.hasOwn(UNIT_POLICY_FIELDS, key);
}

/**
 * A stored value the station does not use because it no longer passes the station's checks
 * (saved by an older version, or written into the catalogue directly); the default stands in.
 */
export const refusedPolicyValueSchema = z.object({ key: z.string(), problem: z.string() });

/** The unit policy as anyone who may read it sees it: the recorder password only as set or not. */
export const unitPolicyViewSchema = z
  .object(UNIT_POLICY_FIELDS)
  .omit({ ambaPassword: true })
  .extend({
    ambaPasswordSet: z.boolean(),
    /** Stored values set aside, with why (e.g. a case-number pattern that backtracks). */
    refused: z.array(refusedPolicyValueSchema).optional(),
  });
export type UnitPolicyView = z.infer<typeof unitPolicyViewSchema>;

const change = <K extends UnitPolicyKey>(key: K) =>
  z.object({ key: z.literal(key), value: UNIT_POLICY_FIELDS[key] }).strict();

/** One change to the unit policy (rule D-CUSTODIAN: custodians run the archive). */
export const policyChangeSchema = z.discriminatedUnion('key', [
  change('clearAfterIngest'),
  change('hashes'),
  change('copyConcurrencyPerDisk'),
  change('continuityGapSeconds'),
  change('continuityOverlapSeconds'),
  change('ambaPassword'),
  change('cardReader'),
  change('labelRequiredFields'),
  change('caseNumberFormat'),
  change('archiveDays'),
  change('lateApprovalHours'),
  change('retentionDailyYears'),
  change('retentionCaseFileYears'),
  change('discCheckYears'),
]);
export type PolicyChange = z.infer<typeof policyChangeSchema>;

export const POLICY_METHODS = {
  'policy.get': method('policy.read', empty, z.object({ policy: unitPolicyViewSchema }), false),
  'policy.set': method(
    'policy.manage',
    policyChangeSchema,
    z.object({ policy: unitPolicyViewSchema }),
    true,
  ),
  /** What the label and case forms need of the unit policy, for everyone who files. */
  'filing.policy': method(
    'cases.read',
    empty,
    z.object(UNIT_POLICY_FIELDS).pick({
      labelRequiredFields: true,
      caseNumberFormat: true,
      lateApprovalHours: true,
      archiveDays: true,
    }),
    false,
  ),
} as const;
