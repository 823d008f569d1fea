import { z } from 'zod';
import {
  clipSchema,
  dockedVolumeSchema,
  dockingSchema,
  profileSummarySchema,
  recorderSchema,
  registerRecorderSchema,
  serialSchema,
} from './docking';
import { empty, method } from './method-spec';

/** Docking and ingest: recorders, what is plugged in, dockings and their clips. */
export const DOCKING_METHODS = {
  'recorders.profiles': method(
    'session',
    empty,
    z.object({ profiles: z.array(profileSummarySchema) }),
    false,
  ),
  'recorders.list': method(
    'recorders.read',
    empty,
    z.object({ recorders: z.array(recorderSchema) }),
    false,
  ),
  'recorders.register': method(
    'recorders.manage',
    registerRecorderSchema,
    z.object({ recorder: recorderSchema }),
    true,
  ),
  'dock.status': method(
    'session',
    empty,
    z.object({ volumes: z.array(dockedVolumeSchema), dockings: z.array(dockingSchema) }),
    false,
  ),
  'clips.list': method(
    'clips.read',
    z
      .object({
        recorderSerial: serialSchema.optional(),
        dockingId: z.number().int().positive().optional(),
        since: z.string().datetime({ offset: true }).optional(),
        limit: z.number().int().min(1).max(1000).default(200),
        offset: z.number().int().min(0).default(0),
      })
      .strict(),
    z.object({ clips: z.array(clipSchema), total: z.number().int() }),
    false,
  ),
  'clips.thumbnail': method(
    'clips.read',
    z.object({ id: z.number().int().positive() }).strict(),
    z.object({ mime: z.literal('image/jpeg'), base64: z.string() }).nullable(),
    false,
  ),
} as const;
