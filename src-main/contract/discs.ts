import { z } from 'zod';
import { deliverySchema, method } from './method-spec';

/**
 * Long-term discs (D-LONGTERM: footage of disputed, obstructed and emergency enforcement is kept
 * long-term "by burning to disc or similar"; D-NO-TAMPER: each disc is proven four ways when it is
 * burned and again on its schedule). Custodians plan, burn, re-check and hand over discs;
 * supervisors read the register.
 */

/** The four verification passes, in the order they run. */
export const DISC_PASSES = ['blocks', 'md5', 'files', 'signatures'] as const;
export type DiscPassName = (typeof DISC_PASSES)[number];

/** A burn: under way, proven by all four passes, failed one, or cut off (the process died). */
export const DISC_STATES = ['burning', 'verified', 'failed', 'interrupted'] as const;
export type DiscState = (typeof DISC_STATES)[number];

/** A medium as a custodian names it: `cd`, `dvd`, `dvd-dl`, `bd-25`, `bd-50`, `bd-100`, or bytes. */
export const discMediumTextSchema = z
  .string()
  .trim()
  .regex(
    /^(cd|dvd|dvd-dl|bd-25|bd-50|bd-100|[1-9][0-9]{6,14})$/i,
    'medium: cd, dvd, dvd-dl, bd-25, bd-50, bd-100 or a byte count',
  );

/**
 * Where a disc is burned or read: a drive (`/dev/sr0`) or a pseudo-drive writing an image file
 * (`stdio:/path/disc.iso`), as xorriso names them. Checked again where it is used.
 */
export const discDriveSchema = z
  .string()
  .trim()
  .min(1)
  .max(1024)
  .refine(
    (d) => !d.startsWith('-') && !/[\n\r\0]/.test(d),
    'a drive is a device path or stdio:<file>',
  );

/** Which clips a set takes: one case's, some chosen, or every long-term clip not yet on disc. */
export const discSelectionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('case'), caseNumber: z.string().trim().min(1).max(64) }).strict(),
  z
    .object({
      kind: z.literal('clips'),
      clipIds: z.array(z.number().int().positive()).min(1).max(15_000),
    })
    .strict(),
  z.object({ kind: z.literal('long-term-pending') }).strict(),
]);
export type DiscSelection = z.infer<typeof discSelectionSchema>;

export const discPassResultSchema = z.object({
  pass: z.enum(DISC_PASSES),
  ok: z.boolean(),
  detail: z.string(),
  problems: z.array(z.string()),
  /** How long the pass took (passes of an image run two at a time). */
  ms: z.number().int().optional(),
});

/** One check of a disc, as the register keeps it. */
export const discCheckSchema = discPassResultSchema.extend({
  occasion: z.enum(['burn', 'recheck']),
  checkedBy: z.string(),
  checkedAt: z.string(),
});

export const discHandoverSchema = z.object({
  toWhom: z.string(),
  location: z.string().nullable(),
  reason: z.string(),
  handedBy: z.string(),
  handedAt: z.string(),
});

/** One burn of one disc of a set, with what the register knows of it. */
export const discRecordSchema = z.object({
  id: z.number().int(),
  setId: z.number().int(),
  setTag: z.string(),
  n: z.number().int(),
  of: z.number().int(),
  copy: z.number().int(),
  volumeId: z.string(),
  medium: z.string(),
  state: z.enum(DISC_STATES),
  drive: z.string(),
  driveModel: z.string().nullable(),
  driveFirmware: z.string().nullable(),
  speed: z.string().nullable(),
  manifestSha256: z.string(),
  imageSha256: z.string().nullable(),
  imageBytes: z.number().int().nullable(),
  burnedBy: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  problem: z.string().nullable(),
  location: z.string().nullable(),
  nextCheckDue: z.string().nullable(),
  lastCheckedAt: z.string().nullable(),
  clips: z.number().int(),
  bytes: z.number().int(),
  caseNumbers: z.array(z.string()),
});
export type DiscRecord = z.infer<typeof discRecordSchema>;

/** A disc of a planned set: what it holds, and its copies' latest burns. */
export const plannedDiscSchema = z.object({
  n: z.number().int(),
  clips: z.number().int(),
  bytes: z.number().int(),
  /** What the plan counts the disc at, against the medium's capacity. */
  cost: z.number().int(),
  caseNumbers: z.array(z.string()),
  volumeIds: z.array(z.string()),
  /** Each copy's latest burn (null: not burned yet), copy 1 first. */
  copies: z.array(discRecordSchema.nullable()),
});

export const discSetSchema = z.object({
  id: z.number().int(),
  tag: z.string(),
  selection: discSelectionSchema,
  caseNumber: z.string().nullable(),
  medium: z.string(),
  mediumBytes: z.number().int(),
  copies: z.number().int(),
  par2Percent: z.number().int(),
  plannedBy: z.string(),
  plannedAt: z.string(),
  stagedAt: z.string().nullable(),
  discs: z.array(plannedDiscSchema),
  /** Whether every copy of every disc is verified. */
  complete: z.boolean(),
});
export type DiscSet = z.infer<typeof discSetSchema>;

/** A clip the plan could not place: larger than the medium, with the smallest that holds it. */
export const tooLargeClipSchema = z.object({
  clipId: z.number().int(),
  size: z.number().int(),
  fitsOn: z.string().nullable(),
});

/** Long-term footage not yet on a verified disc (D-LONGTERM), for Home and the report. */
export const discPendingSchema = z.object({
  clips: z.number().int(),
  bytes: z.number().int(),
  oldestCustodyAt: z.string().nullable(),
  cases: z.array(z.object({ caseNumber: z.string().nullable(), clips: z.number().int() })),
});

export const opticalDriveSchema = z.object({
  address: z.string(),
  vendor: z.string(),
  model: z.string(),
});

/** Where a burn or re-check is: the phase and how far it has come (0–100). */
export const discProgressSchema = z.object({
  setId: z.number().int(),
  n: z.number().int(),
  copy: z.number().int(),
  phase: z.enum(['staging', 'recovery', 'burning', ...DISC_PASSES]),
  percent: z.number().min(0).max(100),
});
export type DiscProgress = z.infer<typeof discProgressSchema>;

const discId = z.object({ discId: z.number().int().positive() }).strict();

export const DISC_METHODS = {
  /** Plans a set and records it: nothing is burned yet. */
  'disc.plan': method(
    'disc.manage',
    z
      .object({
        selection: discSelectionSchema,
        medium: discMediumTextSchema,
        copies: z.number().int().min(1).max(9).optional(),
        par2Percent: z.number().int().min(1).max(100).optional(),
      })
      .strict(),
    z.discriminatedUnion('ok', [
      z.object({ ok: z.literal(true), set: discSetSchema }),
      z.object({ ok: z.literal(false), tooLarge: z.array(tooLargeClipSchema) }),
    ]),
    true,
  ),
  'disc.sets.get': method(
    'disc.read',
    z.object({ setId: z.number().int().positive() }).strict(),
    z.object({ set: discSetSchema }),
    false,
  ),
  'disc.sets.list': method(
    'disc.read',
    z.object({ limit: z.number().int().min(1).max(500).optional() }).strict(),
    z.object({ sets: z.array(discSetSchema) }),
    false,
  ),
  /**
   * Burns disc n, copy k of a set to a drive (the whole set is staged first, if it is not yet),
   * runs the four passes and records the disc verified or failed.
   */
  'disc.burn': method(
    'disc.manage',
    z
      .object({
        setId: z.number().int().positive(),
        n: z.number().int().positive(),
        copy: z.number().int().min(1).max(9),
        drive: discDriveSchema,
      })
      .strict(),
    z.object({
      disc: discRecordSchema,
      passes: z.array(discPassResultSchema),
      /** Where the time went: staging the set (0 when it was staged before) and the burn. */
      timings: z.object({ stagingMs: z.number().int(), burnMs: z.number().int() }),
    }),
    true,
  ),
  /** Re-checks a disc in a drive against the register: the four passes again, recorded. */
  'disc.verify': method(
    'disc.manage',
    z.object({ drive: discDriveSchema }).strict(),
    z.object({ disc: discRecordSchema, passes: z.array(discPassResultSchema) }),
    true,
  ),
  'disc.list': method(
    'disc.read',
    z
      .object({
        due: z.boolean().optional(),
        limit: z.number().int().min(1).max(5000).optional(),
      })
      .strict(),
    z.object({
      discs: z.array(discRecordSchema),
      pending: discPendingSchema,
      due: z.number().int(),
    }),
    false,
  ),
  'disc.get': method(
    'disc.read',
    discId,
    z.object({
      disc: discRecordSchema,
      checks: z.array(discCheckSchema),
      handovers: z.array(discHandoverSchema),
    }),
    false,
  ),
  'disc.drives': method(
    'disc.read',
    z.object({}).strict(),
    z.object({ drives: z.array(opticalDriveSchema) }),
    false,
  ),
  /** A disc handed to someone (a court, a review body, the archive room): audited, kept. */
  'disc.handover': method(
    'disc.manage',
    z
      .object({
        discId: z.number().int().positive(),
        toWhom: z.string().trim().min(1).max(200),
        location: z.string().trim().min(1).max(200).nullable().optional(),
        reason: z.string().trim().min(1).max(500),
      })
      .strict(),
    z.object({ disc: discRecordSchema }),
    true,
  ),
  /** The printable label and sleeve insert of a disc (PDF). */
  'disc.label': method('disc.read', discId, deliverySchema, true),
} as const;
