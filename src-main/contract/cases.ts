import { z } from 'zod';
import { auditEntrySchema } from './audit';
import { caseNumberSchema, trimmedText } from './labels';
import { empty, method } from './method-spec';
import { searchTextSchema } from './search';
import {
  enforcementKindSchema,
  notSuitableReasonSchema,
  PROCEDURAL_ACTS,
  proceduralActSchema,
} from './vocabulary';

/** Cases and their procedural acts (D-KINDS, D-LATE-START, D-AV-REQUIRED, D-ARCHIVE). */

export const CASE_STATUSES = ['open', 'closed', 'archived'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

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
      .object({ reason: notSuitableReasonSchema, text: trimmedText(500).min(1, 'say why') })
      .strict()
      .nullable()
      .optional(),
    /** Take the act off the case (only while nothing is linked). */
    remove: z.boolean().default(false),
  })
  .strict();

export const CASE_METHODS = {
  'cases.list': method(
    'cases.read',
    z
      .object({
        status: z.enum(CASE_STATUSES).optional(),
        /** A part of the number or the title. */
        text: searchTextSchema(100).optional(),
        limit: z.number().int().min(1).max(200).default(50),
        offset: z.number().int().min(0).default(0),
      })
      .strict(),
    z.object({ cases: z.array(caseSchema), total: z.number().int() }),
    false,
  ),
  'cases.get': method(
    'cases.read',
    z.object({ number: caseNumberSchema }).strict(),
    z.object({
      case: caseSchema,
      acts: z.array(caseActSchema),
      history: z.array(auditEntrySchema),
    }),
    false,
  ),
  'cases.create': method('cases.create', newCaseSchema, z.object({ case: caseSchema }), true),
  /** D-ARCHIVE: closing sets the archive-by date. */
  'cases.close': method(
    'cases.manage',
    z
      .object({
        number: caseNumberSchema,
        closedAt: z.string().datetime({ offset: true }).optional(),
      })
      .strict(),
    z.object({ case: caseSchema }),
    true,
  ),
  /** D-LATE-START: the emergency case's approval came (recorded by a custodian). */
  'cases.approve': method(
    'cases.archive',
    z
      .object({
        number: caseNumberSchema,
        approvedAt: z.string().datetime({ offset: true }).optional(),
      })
      .strict(),
    z.object({ case: caseSchema }),
    true,
  ),
  'cases.archive': method(
    'cases.archive',
    z.object({ number: caseNumberSchema }).strict(),
    z.object({ case: caseSchema }),
    true,
  ),
  'cases.setAct': method(
    'cases.manage',
    caseActChangeSchema,
    z.object({ acts: z.array(caseActSchema) }),
    true,
  ),
  'filing.recentCases': method(
    'cases.read',
    empty,
    z.object({ cases: z.array(caseSchema), lastCaseNumber: z.string().nullable() }),
    false,
  ),
} as const;
