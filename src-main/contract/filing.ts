import { z } from 'zod';

/**
 * The canonical ids of DOMAIN.md for filing footage (labels, cases, retention). Code, CLI, API
 * and stored data use these; the UI shows the Chinese and English words.
 */

/** D-KINDS: the enforcement act a case is. */
export const ENFORCEMENT_KINDS = [
  'licensing',
  'penalty',
  'coercion',
  'inspection',
  'levy',
  'benefit',
  'confirmation',
] as const;
export const enforcementKindSchema = z.enum(ENFORCEMENT_KINDS);
export type EnforcementKind = z.infer<typeof enforcementKindSchema>;

/** D-STAGES: the stage of the process a clip records. */
export const STAGES = [
  'initiation',
  'investigation',
  'decision',
  'execution',
  'archiving',
] as const;
export const stageSchema = z.enum(STAGES);
export type Stage = z.infer<typeof stageSchema>;

/** D-CONFIDENTIAL. */
export const CONFIDENTIALITY = ['none', 'privacy', 'commercial', 'state'] as const;
export const confidentialitySchema = z.enum(CONFIDENTIALITY);
export type Confidentiality = z.infer<typeof confidentialitySchema>;

/** D-24H: why custody may come later than 24 h after the recording. */
export const CUSTODY_EXCEPTION_KINDS = ['continuous-duty', 'off-site', 'remote-area'] as const;
export const custodyExceptionKindSchema = z.enum(CUSTODY_EXCEPTION_KINDS);
export type CustodyExceptionKind = z.infer<typeof custodyExceptionKindSchema>;

/** D-LONGTERM: why footage is kept long-term (burnt to disc). */
export const LONG_TERM_REASONS = ['dispute', 'obstruction', 'incident', 'other'] as const;
export const longTermReasonSchema = z.enum(LONG_TERM_REASONS);
export type LongTermReason = z.infer<typeof longTermReasonSchema>;

/** D-NOT-SUITABLE: why a procedural act was not recorded. */
export const NOT_SUITABLE_REASONS = ['explosion-risk', 'secret-or-privacy', 'other'] as const;
export const notSuitableReasonSchema = z.enum(NOT_SUITABLE_REASONS);
export type NotSuitableReason = z.infer<typeof notSuitableReasonSchema>;

/** D-AV-REQUIRED: the procedural acts that must be recorded on audio-visual media. */
export const PROCEDURAL_ACTS = [
  'site-inspection',
  'sampling',
  'hearing',
  'seizure',
  'service-leaving',
  'service-notice',
  'restoration',
  'preservation',
  'summary-dispute',
] as const;
export const proceduralActSchema = z.enum(PROCEDURAL_ACTS);
export type ProceduralAct = z.infer<typeof proceduralActSchema>;

/** Retention classes (D-RETAIN, D-LONGTERM). */
export const RETENTION_CLASSES = ['daily', 'evidence', 'long-term'] as const;
export type RetentionClass = (typeof RETENTION_CLASSES)[number];

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

const text = (max: number) => z.string().trim().max(max);
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
    text: z.string().trim().min(1).max(200).optional(),
    sort: z.enum(CLIP_SORTS).default('recorded'),
    order: z.enum(['asc', 'desc']).default('desc'),
    limit: z.number().int().min(1).max(500).default(50),
    offset: z.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();
export type ClipSearch = z.input<typeof clipSearchSchema>;

export const CASE_STATUSES = ['open', 'closed', 'archived'] as const;

export const caseSchema = z.object({
  number: z.string(),
  kind: enforcementKindSchema,
  title: z.string(),
  status: z.enum(CASE_STATUSES),
  openedAt: z.string(),
  closedAt: z.string().nullable(),
  archiveBy: z.string().nullable(),
  archivedAt: z.string().nullable(),
  handlingOfficer: z.string().nullable(),
  emergency: z.boolean(),
  approvedAt: z.string().nullable(),
  /** D-LATE-START: an emergency case's approval is due by then. */
  approvalDueBy: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  /** Deadlines not met as of now: late approval (D-LATE-START), past archive-by (D-ARCHIVE). */
  lateApproval: z.boolean(),
  pastArchiveBy: z.boolean(),
  clips: z.number().int(),
});
export type Case = z.infer<typeof caseSchema>;

export const caseActSchema = z.object({
  act: proceduralActSchema,
  clipIds: z.array(z.number().int()),
  notRecorded: z.object({ reason: notSuitableReasonSchema, text: z.string() }).nullable(),
  /** D-AV-REQUIRED: neither footage nor a reason. */
  missing: z.boolean(),
});
export type CaseAct = z.infer<typeof caseActSchema>;

export const newCaseSchema = z
  .object({
    number: caseNumberSchema,
    kind: enforcementKindSchema,
    title: z.string().trim().min(1, 'a title is required').max(200),
    openedAt: z.string().datetime({ offset: true }).optional(),
    handlingOfficer: z.string().trim().min(1).max(32).optional(),
    /** D-LATE-START: opened in an emergency, to be approved afterwards. */
    emergency: z.boolean().default(false),
    acts: z.array(proceduralActSchema).max(PROCEDURAL_ACTS.length).default([]),
  })
  .strict();

/** One procedural act's footage or reason, changed (D-AV-REQUIRED, D-NOT-SUITABLE). */
export const caseActChangeSchema = z
  .object({
    number: caseNumberSchema,
    act: proceduralActSchema,
    link: z.array(z.number().int().positive()).max(500).default([]),
    unlink: z.array(z.number().int().positive()).max(500).default([]),
    /** A reason the act was not recorded; null takes it back; absent leaves it. */
    notRecorded: z
      .object({ reason: notSuitableReasonSchema, text: text(500).min(1, 'say why') })
      .strict()
      .nullable()
      .optional(),
    /** Take the act off the case (only while nothing is linked). */
    remove: z.boolean().default(false),
  })
  .strict();

/** A calendar date that exists (2026-02-30 does not). */
export const dateOnlySchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date: YYYY-MM-DD')
  .refine((d) => {
    const [y, m, day] = d.split('-').map(Number) as [number, number, number];
    const date = new Date(Date.UTC(y, m - 1, day));
    return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === day;
  }, 'no such date');
const dateOnly = dateOnlySchema;

export const reportPeriodSchema = z
  .object({ from: dateOnly, to: dateOnly })
  .strict()
  .refine((p) => p.from <= p.to, 'the period ends before it starts');

/** The figures of D-SUPERVISION for one officer, or the unit's totals. */
export const complianceFiguresSchema = z.object({
  dockings: z.number().int(),
  clips: z.number().int(),
  hoursRecorded: z.number(),
  /** D-24H: late custody, and how many of those have an accepted exception. */
  lateCustody: z.number().int(),
  lateCustodyExcepted: z.number().int(),
  lateCustodyUnexcepted: z.number().int(),
  unlabelled: z.number().int(),
  /** Days since the oldest unlabelled clip was recorded (as of the report's end). */
  unlabelledOldestDays: z.number().nullable(),
  unlabelledByAge: z.object({
    upTo1Day: z.number().int(),
    upTo7Days: z.number().int(),
    upTo30Days: z.number().int(),
    over30Days: z.number().int(),
  }),
  deferrals: z.number().int(),
  /** D-CONTINUOUS: gaps, overlaps and breaks in numbering found at docking. */
  continuityFindings: z.number().int(),
});
export type ComplianceFigures = z.infer<typeof complianceFiguresSchema>;

export const complianceReportSchema = z.object({
  from: z.string(),
  to: z.string(),
  generatedAt: z.string(),
  generatedBy: z.string(),
  unit: complianceFiguresSchema.extend({
    officers: z.number().int(),
    casesMissingFootage: z.array(
      z.object({
        number: z.string(),
        title: z.string(),
        missing: z.array(proceduralActSchema),
      }),
    ),
    casesPastArchiveBy: z.array(
      z.object({ number: z.string(), title: z.string(), archiveBy: z.string() }),
    ),
  }),
  officers: z.array(
    complianceFiguresSchema.extend({ badge: z.string(), name: z.string().nullable() }),
  ),
});
export type ComplianceReport = z.infer<typeof complianceReportSchema>;
