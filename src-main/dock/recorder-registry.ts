import type { Catalogue } from '../catalogue/catalogue';
import type { LookalikeRecord, RecorderRecord } from '../catalogue/recorders';
import { RpcError, type Lookalike, type ProfileSummary } from '../contract';
import type { AuditLog } from '../custody/audit-log';
import type { RecorderProfile } from '../devices';
import { RecorderBindings } from './recorder-binding';

export interface Registration {
  serial: string;
  profileId: string;
  officerBadge: string | null;
}

/**
 * The recorders a custodian registered (D-CUSTODIAN, D-NO-LEAK): only these are read when
 * docked, each is assigned to the officer it is issued to, and each is bound to the device its
 * first docking showed; a custodian decides on the look-alikes held for differing from it
 * (D-WHO-RECORDS).
 */
export class RecorderRegistry {
  private readonly bindings: RecorderBindings;

  constructor(
    private readonly catalogue: Catalogue,
    private readonly audit: AuditLog,
    private readonly profiles: readonly RecorderProfile[],
    private readonly now: () => Date,
  ) {
    this.bindings = new RecorderBindings(catalogue, audit, now);
  }

  /** Look-alikes waiting for a custodian; `docked`: those whose volume is plugged in now. */
  lookalikes(docked: ReadonlySet<number>): Lookalike[] {
    return this.bindings.held(docked);
  }

  /** The held volume is the recorder (a replaced card): the binding takes its facts. */
  confirmLookalike(id: number, reason: string, by: string): LookalikeRecord {
    return this.bindings.confirm(id, reason, by);
  }

  /** The held volume is not the recorder: it is never read. */
  refuseLookalike(id: number, reason: string, by: string): LookalikeRecord {
    return this.bindings.refuse(id, reason, by);
  }

  /** The recorder models this station knows. */
  profileSummaries(): ProfileSummary[] {
    return this.profiles.map((p) => ({
      id: p.id,
      name: p.name,
      deviceKind: p.deviceKind,
      driver: p.driver,
    }));
  }

  list(): RecorderRecord[] {
    return this.catalogue.recorders.list();
  }

  /** Registers a recorder, or registers a retired one again; refused while it is registered. */
  register(registration: Registration, by: string): RecorderRecord {
    if (!this.profiles.some((p) => p.id === registration.profileId)) {
      throw new RpcError('NOT_FOUND', `No recorder profile ${registration.profileId}.`);
    }
    const { users, recorders } = this.catalogue;
    // The officer is checked in the transaction that assigns them: not disabled meanwhile.
    return this.catalogue.write((tx) => {
      let officerBadge: string | null = null;
      if (registration.officerBadge !== null) {
        const officer = users.get(registration.officerBadge);
        if (!officer) {
          throw new RpcError('NOT_FOUND', `No user with badge ${registration.officerBadge}.`);
        }
        if (officer.disabled) {
          throw new RpcError('CONFLICT', `${officer.badge} is disabled and cannot be assigned.`);
        }
        officerBadge = officer.badge;
      }
      const existing = recorders.get(registration.serial);
      if (existing && existing.retiredAt === null) {
        throw new RpcError(
          'ALREADY_EXISTS',
          `Recorder ${existing.serial} is already registered; retire it first to register it again.`,
        );
      }
      const registered = tx.recorders.register(
        { serial: registration.serial, profileId: registration.profileId, officerBadge },
        by,
        this.now().toISOString(),
      );
      this.audit.append(tx, {
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
  }

  /** Stops ingesting from a recorder (it keeps its history). */
  retire(serial: string, by: string): RecorderRecord {
    return this.catalogue.write((tx) => {
      const existing = this.catalogue.recorders.getActive(serial);
      if (!existing) throw new RpcError('NOT_FOUND', `No registered recorder ${serial}.`);
      tx.recorders.retire(existing.serial, this.now().toISOString());
      this.audit.append(tx, {
        actor: by,
        action: 'recorder.retired',
        subject: `recorder:${existing.serial}`,
        details: { officerBadge: existing.officerBadge },
      });
      return this.catalogue.recorders.get(existing.serial)!;
    });
  }
}
