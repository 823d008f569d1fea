import { z } from 'zod';
import { method } from './method-spec';

/**
 * Forwarding to the unit's central storage (D-24H: within 24 hours footage is stored in the unit's
 * dedicated storage; D-NO-TAMPER: the central copy is proven there, not assumed). A target is an
 * S3-compatible object store or a folder the OS mounts (an SMB or NFS share).
 */

export const TARGET_KINDS = ['s3', 'folder'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

/**
 * A clip's way to one target: queued → uploading (a multipart upload, part by part) → uploaded →
 * verified (size, hashes and ETag checked on the server); failed with the reason, the attempts and
 * when it is tried again (never again by itself when retrying cannot help).
 */
export const OUTBOX_STATES = ['queued', 'uploading', 'uploaded', 'verified', 'failed'] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];

/** A name custodians give a target: what the CLI, the screen and the audit log call it. */
export const targetNameSchema = z
  .string()
  .trim()
  .regex(
    /^[\p{L}\p{N}][\p{L}\p{N} ._-]{0,39}$/u,
    'target name: 1–40 letters, digits, spaces, dots, hyphens or underscores',
  );

/**
 * Where keys start: a path of safe segments ending in '/'. Object keys are built from it and the
 * archive's relative path only (immutable facts), so a retry can never make a duplicate. Never
 * empty: what a station finds open under its prefix it takes for its own, and a bucket is often
 * shared by several stations.
 */
export const prefixSchema = z
  .string()
  .trim()
  .transform((p) => (p === '' || p.endsWith('/') ? p : `${p}/`))
  .pipe(
    z
      .string()
      .max(200)
      .regex(
        /^(?:[A-Za-z0-9][A-Za-z0-9._-]*\/)+$/,
        'prefix: one or more folders of letters, digits, dots, hyphens or underscores, separated by /',
      ),
  );

const clockSchema = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'a time is HH:MM');

/** Bytes a second, or null for no limit. */
const rateSchema = z.number().int().positive().nullable();

/**
 * A weekly timetable of bandwidth limits, in the station's local time: the first window that
 * holds the moment sets the limit, `otherwise` holds outside every window ("Mon–Fri 08:00–18:00
 * 5 MB/s, otherwise unlimited"). Days are 1 (Monday) … 7 (Sunday).
 */
export const forwardScheduleSchema = z.object({
  windows: z
    .array(
      z
        .object({
          days: z.array(z.number().int().min(1).max(7)).min(1).max(7),
          from: clockSchema,
          to: clockSchema,
          bytesPerSecond: rateSchema,
        })
        .refine((w) => w.from < w.to, 'a window ends after it starts'),
    )
    .max(32),
  otherwise: rateSchema,
});
export type ForwardSchedule = z.infer<typeof forwardScheduleSchema>;

export const UNLIMITED_SCHEDULE: ForwardSchedule = { windows: [], otherwise: null };

/** A target as everyone who may see it sees it: never its secret, only whether it has one. */
export const forwardTargetSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  kind: z.enum(TARGET_KINDS),
  endpoint: z.string().nullable(),
  bucket: z.string().nullable(),
  region: z.string().nullable(),
  pathStyle: z.boolean(),
  folderPath: z.string().nullable(),
  prefix: z.string(),
  hasSecret: z.boolean(),
  concurrency: z.number().int(),
  partSize: z.number().int(),
  schedule: forwardScheduleSchema,
  readBackPercent: z.number().int(),
  partChecksums: z.boolean().nullable(),
  enabled: z.boolean(),
  /** Stopped by a failure retrying cannot fix: the server's code and words. */
  stopped: z.object({ code: z.string(), reason: z.string(), at: z.string() }).nullable(),
  addedBy: z.string(),
  addedAt: z.string(),
});
export type ForwardTarget = z.infer<typeof forwardTargetSchema>;

/** What a target's test found: each step in order, the first failure with the server's words. */
export const TARGET_TEST_STEPS = ['connect', 'bucket', 'write', 'read', 'delete'] as const;
export const targetTestSchema = z.object({
  ok: z.boolean(),
  steps: z.array(
    z.object({
      step: z.enum(TARGET_TEST_STEPS),
      ok: z.boolean(),
      code: z.string().nullable(),
      message: z.string().nullable(),
    }),
  ),
  /** Whether the server took a part's SHA-256 checksum (S3 only; null: not asked). */
  partChecksums: z.boolean().nullable(),
});
export type TargetTest = z.infer<typeof targetTestSchema>;

export const outboxCountsSchema = z.object({
  clips: z.number().int(),
  bytes: z.number().int(),
});

/** One target's queue, as `forward status` and the Forwarding screen show it. */
export const targetQueueSchema = z.object({
  target: z.string(),
  enabled: z.boolean(),
  stopped: forwardTargetSchema.shape.stopped,
  queued: outboxCountsSchema,
  uploading: outboxCountsSchema,
  uploaded: outboxCountsSchema,
  verified: outboxCountsSchema,
  failed: outboxCountsSchema,
  /** Custody time of the oldest clip not yet verified here (null: none waits). */
  oldestWaiting: z.string().nullable(),
  /** Bytes a second over the last minute of this process's forwarding (0 when idle). */
  rate: z.number(),
});
export type TargetQueue = z.infer<typeof targetQueueSchema>;

/** A part size in MiB: S3's 5 MiB floor, and a bound on what one part may hold in memory. */
const partSizeMiBSchema = z.number().int().min(5).max(512);

const secretInput = {
  /** Write-only: sealed at rest, never answered, logged or audited. */
  accessKeyId: z.string().min(1).max(256).optional(),
  secretAccessKey: z.string().min(1).max(512).optional(),
};

export const addTargetSchema = z
  .object({
    name: targetNameSchema,
    kind: z.enum(TARGET_KINDS),
    endpoint: z
      .url({ protocol: /^https?$/ })
      .max(2048)
      .refine(
        (url) => !/^https?:\/\/[^/?#]*@/i.test(url),
        'endpoint: no user name or password in the URL (the keys are entered apart, and kept sealed)',
      )
      .optional(),
    bucket: z
      .string()
      .regex(
        /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
        'bucket: 3–63 lower-case letters, digits, dots or hyphens',
      )
      .optional(),
    region: z
      .string()
      .regex(/^[a-z0-9-]{1,40}$/, 'region: letters, digits and hyphens')
      .optional(),
    pathStyle: z.boolean().default(false),
    folderPath: z.string().min(1).max(1024).optional(),
    prefix: prefixSchema.optional(),
    concurrency: z.number().int().min(1).max(16).default(2),
    partSizeMiB: partSizeMiBSchema.default(16),
    schedule: forwardScheduleSchema.default(UNLIMITED_SCHEDULE),
    readBackPercent: z.number().int().min(0).max(100).default(5),
    ...secretInput,
  })
  .strict()
  .superRefine((t, ctx) => {
    const need = (field: keyof typeof t, why: string) => {
      if (t[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: why });
    };
    if (t.kind === 's3') {
      need('endpoint', 'an S3 target needs its endpoint URL');
      need('bucket', 'an S3 target needs its bucket');
      need('accessKeyId', 'an S3 target needs its access key id');
      need('secretAccessKey', 'an S3 target needs its secret key');
    } else {
      need('folderPath', 'a folder target needs the folder where the share is mounted');
    }
  });

export const changeTargetSchema = z
  .object({
    name: targetNameSchema,
    enabled: z.boolean().optional(),
    concurrency: z.number().int().min(1).max(16).optional(),
    schedule: forwardScheduleSchema.optional(),
    readBackPercent: z.number().int().min(0).max(100).optional(),
    ...secretInput,
  })
  .strict()
  .refine(
    (c) => (c.accessKeyId === undefined) === (c.secretAccessKey === undefined),
    'new keys come as a pair: the access key id and the secret key',
  );

const targetByName = z.object({ name: targetNameSchema }).strict();

/** A clip's way to each target, for the clip drawer. */
export const clipForwardingSchema = z.object({
  target: z.string(),
  state: z.enum(OUTBOX_STATES),
  bytesSent: z.number().int(),
  attempts: z.number().int(),
  failure: z.string().nullable(),
  nextTryAt: z.string().nullable(),
  verifiedAt: z.string().nullable(),
});
export type ClipForwarding = z.infer<typeof clipForwardingSchema>;

/**
 * A clip that failed to reach a target, as the Forwarding screen lists it: the server's code and
 * words, how often it was tried, when it is tried again (null: not by itself; it waits for a
 * custodian's retry). The object key names the archive path (recorder serial, file name): it and
 * the words that may repeat it are withheld from a supervisor for a confidential clip
 * (D-CONFIDENTIAL, domain/visibility), who still learns that it failed and why, by its code.
 */
export const outboxFailureSchema = z.object({
  clipId: z.number().int(),
  objectKey: z.string().nullable(),
  code: z.string(),
  message: z.string().nullable(),
  attempts: z.number().int(),
  nextTryAt: z.string().nullable(),
  /** The rule the key and words are withheld under, or null when they are shown. */
  withheld: z.literal('D-CONFIDENTIAL').nullable(),
});
export type OutboxFailure = z.infer<typeof outboxFailureSchema>;

/** The most failures one answer lists; the queue's counts hold them all. */
export const OUTBOX_FAILURES_SHOWN = 200;

export const FORWARD_METHODS = {
  'forward.targets.list': method(
    'forward.read',
    z.object({}).strict(),
    z.object({ targets: z.array(forwardTargetSchema) }),
    false,
  ),
  'forward.targets.add': method(
    'forward.manage',
    addTargetSchema,
    z.object({ target: forwardTargetSchema }),
    true,
  ),
  'forward.targets.test': method('forward.manage', targetByName, targetTestSchema, true),
  'forward.targets.change': method(
    'forward.manage',
    changeTargetSchema,
    z.object({ target: forwardTargetSchema }),
    true,
  ),
  'forward.targets.remove': method('forward.manage', targetByName, z.object({}), true),
  'forward.status': method(
    'forward.read',
    z.object({}).strict(),
    z.object({ targets: z.array(targetQueueSchema) }),
    false,
  ),
  'forward.retry': method(
    'forward.manage',
    z.object({ name: targetNameSchema, clipId: z.number().int().positive().optional() }).strict(),
    z.object({ retried: z.number().int() }),
    true,
  ),
  'forward.clip': method(
    'clips.read',
    z.object({ clipId: z.number().int().positive() }).strict(),
    z.object({ targets: z.array(clipForwardingSchema) }),
    false,
  ),
  'forward.failures': method(
    'forward.read',
    z
      .object({
        name: targetNameSchema,
        limit: z.number().int().min(1).max(OUTBOX_FAILURES_SHOWN).optional(),
      })
      .strict(),
    z.object({ failures: z.array(outboxFailureSchema) }),
    false,
  ),
} as const;
