import { z } from 'zod';
import { searchTextSchema } from './search';
import {
  confidentialitySchema,
  custodyExceptionKindSchema,
  enforcementKindSchema,
  longTermReasonSchema,
  RETENTION_CLASSES,
  stageSchema,
} from './vocabulary';

/** Labels (D-LABEL, D-CONTENT, D-CONFIDENTIAL, D-LONGTERM), D-24H exceptions, the clips browser. */

/**
 * The label fields a unit may make required beyond the D-LABEL ones (case number or the matter
 * of daily enforcement, production method, time and producer, which are always required).
 */
export const OPTIONAL_LABEL_FIELDS = [
  'kind',
  'stage',
  'place',
  'parties',
  'officersPresent',
  'notes',
] as const;
export type OptionalLabelField = (typeof OPTIONAL_LABEL_FIELDS)[number];

/** What can be missing from a clip's label, in the order the label form asks for it. */
export const LABEL_FIELDS = [
  'case',
  'matter',
  'productionMethod',
  'productionTime',
  'producer',
  ...OPTIONAL_LABEL_FIELDS,
] as const;
export type LabelField = (typeof LABEL_FIELDS)[number];

/** Words a person types: trimmed, bounded. */
export const trimmedText = (max: number) => z.string().trim().max(max);
const text = trimmedText;
const optionalText = (max: number) =>
  text(max)
    .nullable()
    .transform((v) => (v === null || v === '' ? null : v));

/** A case number as typed; whether it follows the unit's format is the station's check. */
export const caseNumberSchema = z.string().trim().min(1, 'a case number is required').max(64);

export const longTermSchema = z
  .object({ reason: longTermReasonSchema, text: optionalText(500) })
  .strict();

/**
 * A change to clips' labels (D-LABEL, D-CONTENT, D-CONFIDENTIAL, D-LONGTERM). Fields left out keep
 * their value, so one bulk apply can set the case of fifty clips without touching their notes.
 */
export const labelPatchSchema = z
  .object({
    /** A case number, or null: daily enforcement without a case (then `matter` says what). */
    caseNumber: caseNumberSchema.nullable(),
    matter: optionalText(500),
    kind: enforcementKindSchema.nullable(),
    stage: stageSchema.nullable(),
    place: optionalText(200),
    parties: z.array(text(64).min(1)).max(50),
    /** Personal data: the parties' ID numbers, where given. */
    partyIds: z.array(text(32).min(1)).max(50),
    officersPresent: z
      .array(
        z
          .string()
          .trim()
          .regex(/^[A-Za-z0-9-]{2,32}$/, 'badge: 2–32 letters, digits or hyphens'),
      )
      .max(50),
    confidentiality: confidentialitySchema,
    notes: optionalText(2000),
    longTerm: longTermSchema.nullable(),
  })
  .partial()
  .strict();
export type LabelPatch = z.infer<typeof labelPatchSchema>;

/** A clip's label as it stands. `partyIds` is empty for anyone the personal data is not for. */
export const labelSchema = z.object({
  caseNumber: z.string().nullable(),
  matter: z.string().nullable(),
  kind: enforcementKindSchema.nullable(),
  stage: stageSchema.nullable(),
  place: z.string().nullable(),
  parties: z.array(z.string()),
  partyIds: z.array(z.string()),
  officersPresent: z.array(z.string()),
  confidentiality: confidentialitySchema,
  notes: z.string().nullable(),
  longTerm: z.object({ reason: longTermReasonSchema, text: z.string().nullable() }).nullable(),
  updatedBy: z.string(),
  updatedAt: z.string(),
});
export type Label = z.infer<typeof labelSchema>;

/** Which clips a bulk label applies to: a selection, a whole docking, or a time range. */
export const labelTargetSchema = z.union([
  z.object({ clipIds: z.array(z.number().int().positive()).min(1).max(5000) }).strict(),
  z.object({ dockingId: z.number().int().positive() }).strict(),
  z
    .object({
      from: z.string().datetime({ offset: true }),
      to: z.string().datetime({ offset: true }),
      /** Whose clips; the caller's own when left out (a custodian names the officer). */
      officerBadge: z.string().trim().min(1).max(32).optional(),
      recorderSerial: z.string().trim().min(1).max(64).optional(),
    })
    .strict(),
]);
export type LabelTarget = z.infer<typeof labelTargetSchema>;

export const custodyExceptionSchema = z
  .object({
    kind: custodyExceptionKindSchema,
    /** When the officer was back at the unit (D-24H counts from then). */
    returnedAt: z.string().datetime({ offset: true }),
    note: optionalText(500),
  })
  .strict();

export const retentionSchema = z.object({
  retentionClass: z.enum(RETENTION_CLASSES),
  dueAt: z.string().nullable(),
  due: z.boolean(),
});

/** What filing adds to a clip: its label, whether it counts as filed and what it still lacks. */
export const filingSchema = z.object({
  label: labelSchema.nullable(),
  labelled: z.boolean(),
  missing: z.array(z.enum(LABEL_FIELDS)),
  productionMethod: z.string().nullable(),
  custodyException: custodyExceptionSchema
    .extend({ recordedBy: z.string(), recordedAt: z.string() })
    .nullable(),
  retention: retentionSchema,
  findings: z.number().int(),
  /** D-CONFIDENTIAL: whether the caller may play it in the UI. */
  playable: z.boolean(),
});
export type Filing = z.infer<typeof filingSchema>;

export const CLIP_SORTS = ['recorded', 'custody'] as const;

/** The clips browser's filters (all optional, combined with AND). */
export const clipSearchSchema = z
  .object({
    officerBadge: z.string().trim().min(1).max(32).optional(),
    recorderSerial: z.string().trim().min(1).max(64).optional(),
    dockingId: z.number().int().positive().optional(),
    from: z.string().datetime({ offset: true }).optional(),
    to: z.string().datetime({ offset: true }).optional(),
    caseNumber: z.string().trim().min(1).max(64).optional(),
    kind: enforcementKindSchema.optional(),
    stage: stageSchema.optional(),
    place: z.string().trim().min(1).max(200).optional(),
    labelled: z.boolean().optional(),
    lateCustody: z.boolean().optional(),
    hasFindings: z.boolean().optional(),
    retentionDue: z.boolean().optional(),
    /** Full text over matter, place, notes and parties. */
    // The full text as the catalogue's index can take it (a NUL used to answer INTERNAL).
    text: searchTextSchema(200).optional(),
    sort: z.enum(CLIP_SORTS).default('recorded'),
    order: z.enum(['asc', 'desc']).default('desc'),
    limit: z.number().int().min(1).max(500).default(50),
    offset: z.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();
export type ClipSearch = z.input<typeof clipSearchSchema>;
