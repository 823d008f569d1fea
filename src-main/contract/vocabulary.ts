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
