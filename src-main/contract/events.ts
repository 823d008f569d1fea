import { z } from 'zod';
import type { Permission } from './roles';
import { dockedVolumeSchema, dockingSchema } from './dock';
import { auditEntrySchema } from './audit';
import { integrityProgressSchema, integritySweepSchema } from './integrity';
import { targetQueueSchema } from './forward';
import { discProgressSchema } from './discs';

export interface EventSpec<P extends z.ZodType> {
  payload: P;
  /** Only connections whose session holds this permission receive the event. */
  permission: Permission;
}

/** Server-pushed events. */
export const EVENTS = {
  'audit.appended': { payload: z.object({ entry: auditEntrySchema }), permission: 'audit.read' },
  'users.changed': { payload: z.object({ badge: z.string() }), permission: 'users.read' },
  /** What is plugged in changed (a volume came or went, or was identified). */
  'dock.volumes': {
    payload: z.object({ volumes: z.array(dockedVolumeSchema) }),
    permission: 'session',
  },
  /** A docking's phase or progress changed; at most ~4 a second per docking. */
  'dock.docking': { payload: z.object({ docking: dockingSchema }), permission: 'session' },
  /** The integrity sweep under way; at most ~4 a second. */
  'integrity.progress': {
    payload: z.object({ progress: integrityProgressSchema }),
    permission: 'integrity.read',
  },
  /**
   * A sweep ended: when it is not ok, the alarm custodians and supervisors must see (D-NO-TAMPER).
   * It carries the counts; the findings are read through integrity.status, as each viewer may.
   */
  'integrity.finished': {
    payload: z.object({ sweep: integritySweepSchema }),
    permission: 'integrity.read',
  },
  /** Forwarding under way: every target's queue and rate; at most ~4 a second while it moves. */
  'forward.progress': {
    payload: z.object({ targets: z.array(targetQueueSchema) }),
    permission: 'forward.read',
  },
  /** A disc being staged, burned or checked: its phase and progress; at most ~4 a second. */
  'disc.progress': {
    payload: z.object({ progress: discProgressSchema }),
    permission: 'disc.read',
  },
} as const satisfies Record<string, EventSpec<z.ZodType>>;

export type EventName = keyof typeof EVENTS;
export type EventPayload<E extends EventName> = z.output<(typeof EVENTS)[E]['payload']>;

/** How a service announces an event; the station fans it out to the sessions that may see it. */
export type PublishEvent = <E extends EventName>(name: E, payload: EventPayload<E>) => void;
