import type { z } from 'zod';
import { ACCOUNT_METHODS } from './accounts';
import { AUDIT_METHODS } from './audit';
import { CASE_METHODS } from './cases';
import { CLIP_METHODS } from './clips';
import { DISC_METHODS } from './discs';
import { DOCK_METHODS } from './dock';
import { FORWARD_METHODS } from './forward';
import { INTEGRITY_METHODS } from './integrity';
import { POLICY_METHODS } from './policy';
import { RECORDER_METHODS } from './recorders';
import { REPORT_METHODS } from './reports';
import { STORAGE_METHODS } from './storage';

/** Every RPC method the station serves, gathered from each topic. Nothing else is callable. */
export const METHODS = {
  ...ACCOUNT_METHODS,
  ...AUDIT_METHODS,
  ...RECORDER_METHODS,
  ...DOCK_METHODS,
  ...CLIP_METHODS,
  ...CASE_METHODS,
  ...REPORT_METHODS,
  ...POLICY_METHODS,
  ...INTEGRITY_METHODS,
  ...FORWARD_METHODS,
  ...DISC_METHODS,
  ...STORAGE_METHODS,
} as const;

export type MethodName = keyof typeof METHODS;
export type MethodInput<M extends MethodName> = z.input<(typeof METHODS)[M]['input']>;
export type MethodParams<M extends MethodName> = z.output<(typeof METHODS)[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<(typeof METHODS)[M]['output']>;

export const METHOD_NAMES = Object.keys(METHODS) as MethodName[];

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(METHODS, name);
}
