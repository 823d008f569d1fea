import { readFile } from 'node:fs/promises';
import {
  RpcError,
  type MethodName,
  type MethodParams,
  type PolicyChange,
  type UnitPolicyView,
} from '../../contract';
import { caseNumberFormatProblem, mayView } from '../../domain';
import { resolveInside } from '../../archive';
import { requireCaller, type Handler } from '../handler-types';
import type { StationServices } from '../services';
import { clipView } from './docking-views';

type DockingMethod =
  | 'recorders.profiles'
  | 'recorders.list'
  | 'recorders.register'
  | 'recorders.retire'
  | 'dock.status'
  | 'dock.identify'
  | 'clips.list'
  | 'clips.thumbnail'
  | 'policy.get'
  | 'policy.set'
  | 'auth.setPin'
  | 'users.setCard';

export type DockingHandlers = { [M in DockingMethod & MethodName]: Handler<M> };

function policyView(services: StationServices): UnitPolicyView {
  const { ambaPasswordSet, ...policy } = services.settings.publicPolicy();
  return { ...policy, ambaPasswordSet };
}

/** What the audit log keeps of a policy change: never the recorder password itself. */
function auditedValue(change: PolicyChange): unknown {
  if (change.key === 'ambaPassword') return change.value === null ? 'cleared' : 'set';
  return change.value;
}

/** Recorders, the dock, clips and the docking policy (issue 3's methods). */
export function createDockingHandlers(services: StationServices): DockingHandlers {
  const { audit, recorders, users, clips, settings, hub } = services;

  const requireDock = () => {
    if (!services.dock) {
      throw new RpcError('CONFLICT', 'No dock runs in this process: start the station.');
    }
    return services.dock;
  };

  const recentDockings = () => {
    if (services.dock) return services.dock.service.status();
    return { volumes: [], dockings: [] };
  };

  return {
    'recorders.profiles': () => ({
      profiles: services.profiles.map((p) => ({
        id: p.id,
        name: p.name,
        deviceKind: p.deviceKind,
        driver: p.driver,
      })),
    }),

    'recorders.list': () => ({ recorders: recorders.list() }),

    'recorders.register': (params: MethodParams<'recorders.register'>, context) => {
      const by = requireCaller(context).user.badge;
      if (!services.profiles.some((p) => p.id === params.profileId)) {
        throw new RpcError('NOT_FOUND', `No recorder profile ${params.profileId}.`);
      }
      if (params.officerBadge !== null) {
        const officer = users.get(params.officerBadge);
        if (!officer) throw new RpcError('NOT_FOUND', `No user with badge ${params.officerBadge}.`);
        if (officer.disabled) {
          throw new RpcError('CONFLICT', `${officer.badge} is disabled and cannot be assigned.`);
        }
      }
      const existing = recorders.get(params.serial);
      if (existing && existing.retiredAt === null) {
        throw new RpcError(
          'ALREADY_EXISTS',
          `Recorder ${existing.serial} is already registered; retire it first to register it again.`,
        );
      }
      const officerBadge =
        params.officerBadge === null ? null : users.get(params.officerBadge)!.badge;
      const recorder = audit.transaction(() => {
        const registered = recorders.register(
          { serial: params.serial, profileId: params.profileId, officerBadge },
          by,
          services.now().toISOString(),
        );
        audit.append({
          actor: by,
          action: 'recorder.registered',
          subject: `recorder:${registered.serial}`,
          details: {
            profileId: registered.profileId,
            officerBadge: registered.officerBadge,
            again: existing !== undefined,
          },
        });
        return registered;
      });
      services.dock?.service.recorderRegistered(recorder.serial, params.mountpoint);
      return { recorder };
    },

    'recorders.retire': (params, context) => {
      const existing = recorders.getActive(params.serial);
      if (!existing) throw new RpcError('NOT_FOUND', `No registered recorder ${params.serial}.`);
      const at = services.now().toISOString();
      audit.transaction(() => {
        recorders.retire(existing.serial, at);
        audit.append({
          actor: requireCaller(context).user.badge,
          action: 'recorder.retired',
          subject: `recorder:${existing.serial}`,
          details: { officerBadge: existing.officerBadge },
        });
      });
      return { recorder: recorders.get(existing.serial)! };
    },

    'dock.status': () => recentDockings(),

    'dock.identify': (params) =>
      requireDock()
        .officer.confirmWithPin(params.dockingId, params.badge, params.pin)
        .then((docking) => ({ docking })),

    'clips.list': (params, context) => {
      const user = requireCaller(context).user;
      const result = clips.list({
        recorderSerial: params.recorderSerial,
        dockingId: params.dockingId,
        since: params.since,
        limit: params.limit,
        offset: params.offset,
        // Officers see only their own clips (D-NO-LEAK); the others see the archive, supervisors
        // without the confidential clips (D-CONFIDENTIAL).
        officerBadge: user.role === 'officer' ? user.badge : undefined,
        onlyUnconfidential: user.role === 'supervisor',
      });
      return { clips: result.clips.map(clipView), total: result.total };
    },

    'clips.thumbnail': async (params, context) => {
      const clip = clips.get(params.id);
      const user = requireCaller(context).user;
      const hidden =
        clip !== undefined &&
        !mayView(
          { badge: user.badge, role: user.role },
          {
            officerBadge: clip.officerBadge,
            confidentiality: services.filing.labelRepo.confidentialityOf(clip.id),
          },
        );
      // A clip one may not see answers as if it did not exist: not even its existence leaks.
      if (!clip || hidden) throw new RpcError('NOT_FOUND', `No clip ${params.id}.`);
      if (clip.thumbnailPath === null) return null;
      try {
        const bytes = await readFile(resolveInside(services.dataDir, clip.thumbnailPath));
        return { mime: 'image/jpeg' as const, base64: bytes.toString('base64') };
      } catch {
        return null;
      }
    },

    'policy.get': () => ({ policy: policyView(services) }),

    'policy.set': async (change, context) => {
      if (change.key === 'caseNumberFormat') {
        const problem = caseNumberFormatProblem(change.value);
        if (problem !== null) throw new RpcError('BAD_REQUEST', `${problem}.`, { key: change.key });
      }
      audit.transaction(() => {
        settings.set(change.key, change.value as never);
        const relabelled =
          change.key === 'labelRequiredFields' ? services.filing.labels.relabelAll() : undefined;
        audit.append({
          actor: requireCaller(context).user.badge,
          action: 'settings.changed',
          subject: `policy:${change.key}`,
          details: {
            key: change.key,
            value: auditedValue(change),
            ...(relabelled === undefined ? {} : { clipsRelabelled: relabelled }),
          },
        });
      });
      if (change.key === 'cardReader') {
        await services.dock?.officer.configureReader(change.value);
      }
      // A recorder model's password may be what a docked recorder was waiting for.
      if (change.key === 'ambaPassword') services.dock?.service.retryUsbRecorders();
      return { policy: policyView(services) };
    },

    'auth.setPin': async (params, context) => {
      const caller = requireCaller(context);
      await services.auth.setPin(caller, params.currentPassword, params.pin);
      hub.publish('users.changed', { badge: caller.user.badge });
      return {};
    },

    'users.setCard': (params, context) => {
      const user = services.userAdmin.setCard(
        requireCaller(context),
        params.badge,
        params.cardNumber,
      );
      hub.publish('users.changed', { badge: user.badge });
      return { user };
    },
  };
}
