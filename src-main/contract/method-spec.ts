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
