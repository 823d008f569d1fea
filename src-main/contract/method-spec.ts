import { z } from 'zod';
import type { Permission } from './roles';

export interface MethodSpec<I extends z.ZodType, O extends z.ZodType> {
  input: I;
  output: O;
  permission: Permission;
  /** Whether the call changes data (used by clients to decide on retries, and documented). */
  mutates: boolean;
}

export function method<I extends z.ZodType, O extends z.ZodType>(
  permission: Permission,
  input: I,
  output: O,
  mutates: boolean,
): MethodSpec<I, O> {
  return { input, output, permission, mutates };
}

export const empty = z.object({}).strict();

/**
 * A short-lived address the UI fetches something from, through the station (D-NO-LEAK): a clip
 * to play, a thumbnail, an exported report. It works for the session that asked, and only while
 * that session may still have it.
 */
export const deliverySchema = z.object({
  url: z.string(),
  mime: z.string(),
  expiresAt: z.string(),
});
export type DeliveryAddress = z.infer<typeof deliverySchema>;
