import type { Catalogue } from '../catalogue/catalogue';
import type { RecorderRecord } from '../catalogue/recorders';
import { RpcError, type ProfileSummary } from '../contract';
import type { AuditLog } from '../custody/audit-log';
import type { RecorderProfile } from '../devices';

export interface Registration {
  serial: string;
  profileId: string;
  officerBadge: string | null;
}

/**
 * The recorders a custodian registered (D-CUSTODIAN, D-NO-LEAK): only these are read when
 * docked, and each is assigned to the officer it is issued to.
 */
export class RecorderRegistry {
  constructor(
    private readonly catalogue: Catalogue,
    private readonly audit: AuditLog,
    private readonly profiles: readonly RecorderProfile[],
    private readonly now: () => Date,
  ) {}

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
