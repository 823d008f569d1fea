import { z } from 'zod';
import type { RpcErrorBody } from './errors';

/**
 * The messages on the wire, identical over WebSocket (browser mode) and MessagePort (Electron).
 * Every request carries the session token it acts under; the station checks it on every call.
 */
export const requestMessageSchema = z.object({
  type: z.literal('request'),
  id: z.number().int().nonnegative(),
  method: z.string().min(1).max(64),
  params: z.unknown().optional(),
  session: z.string().max(128).optional(),
});
export type RequestMessage = z.infer<typeof requestMessageSchema>;

/** The client no longer wants the answer to request `id`: the station stops it where it can. */
export const cancelMessageSchema = z.object({
  type: z.literal('cancel'),
  id: z.number().int().nonnegative(),
});
export type CancelMessage = z.infer<typeof cancelMessageSchema>;

/** Whatever a client sends. */
export const clientMessageSchema = z.discriminatedUnion('type', [
  requestMessageSchema,
  cancelMessageSchema,
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;

export type RpcResult<T = unknown> = { ok: true; value: T } | { ok: false; error: RpcErrorBody };

export interface ResponseMessage {
  type: 'response';
  id: number;
  result: RpcResult;
}

export interface EventMessage {
  type: 'event';
  name: string;
  payload: unknown;
}

export type StationMessage = ResponseMessage | EventMessage;
