import type { Catalogue, CatalogueWrite } from '../catalogue/catalogue';
import type { LookalikeRecord, RecorderRecord } from '../catalogue/recorders';
import {
  RECORDER_FACTS,
  RpcError,
  type Lookalike,
  type RecorderFact,
  type RecorderFacts,
} from '../contract';
import { STATION_ACTOR, type AuditLog } from '../custody/audit-log';
import type { DockedVolume } from '../devices';

/** The facts of a docked volume's device that a registration is bound to. */
function factsOf(volume: DockedVolume): RecorderFacts {
  return {
    usbVendorId: volume.usb?.vendorId ?? null,
    usbProductId: volume.usb?.productId ?? null,
    usbSerial: volume.usb?.serial ?? null,
    fsUuid: volume.fsUuid ?? null,
    capacity: volume.size !== null && volume.size > 0 ? volume.size : null,
  };
}

/**
 * The bound facts this volume contradicts: one it shows otherwise, or one it does not show at
 * all (a look-alike must not pass by hiding a fact). Facts the binding lacks are not compared:
 * they are bound when first seen.
 */
function differingFacts(bound: RecorderFacts, seen: RecorderFacts): RecorderFact[] {
  return RECORDER_FACTS.filter((fact) => {
    const was = bound[fact];
    if (was === null) return false;
    const is = seen[fact];
    return typeof was === 'string' && typeof is === 'string'
      ? was.toUpperCase() !== is.toUpperCase()
      : was !== is;
  });
}

/** Bound facts, with those the binding lacks filled in from what is seen now. */
function filledIn(bound: RecorderFacts, seen: RecorderFacts): RecorderFacts {
  const facts = { ...bound };
  for (const fact of RECORDER_FACTS) {
    if (facts[fact] === null) (facts as Record<RecorderFact, unknown>)[fact] = seen[fact];
  }
  return facts;
}

const known = (facts: RecorderFacts) => RECORDER_FACTS.filter((fact) => facts[fact] !== null);

/** Whether a volume may be ingested as its recorder, or is held as a look-alike. */
export type Admission = { admitted: true } | { admitted: false; lookalike: LookalikeRecord };

/**
 * Recorders bound to their devices (D-WHO-RECORDS, D-CUSTODIAN). A registration is bound to the
 * facts of the device its first docking sees (USB ids and serial, file system UUID, capacity); a
 * later volume that carries the serial but contradicts those facts is held as a look-alike,
 * nothing on it read, until a custodian confirms it (the binding then takes its facts) or
 * refuses it. Each decision and check happens in the transaction that writes it.
 */
export class RecorderBindings {
  constructor(
    private readonly catalogue: Catalogue,
    private readonly audit: AuditLog,
    private readonly now: () => Date,
  ) {}

  /**
   * Binds an unbound registration to `volume`'s facts, or checks them against its binding.
   * A volume the station saw held already (same recorder, same facts, still undecided) is not
   * held a second time.
   */
  admit(recorder: RecorderRecord, volume: DockedVolume): Admission {
    const seen = factsOf(volume);
    return this.catalogue.write((tx): Admission => {
      const at = this.now().toISOString();
      const binding = tx.recorders.binding(recorder.serial);
      if (binding === undefined) {
        if (known(seen).length === 0) return { admitted: true };
        tx.recorders.bind(recorder.serial, seen, STATION_ACTOR, at);
        this.audit.append(tx, {
          actor: STATION_ACTOR,
          action: 'recorder.bound',
          subject: `recorder:${recorder.serial}`,
          details: { facts: seen, first: true, device: volume.device },
        });
        return { admitted: true };
      }
      const differs = differingFacts(binding.facts, seen);
      if (differs.length === 0) {
        const facts = filledIn(binding.facts, seen);
        const added = known(facts).filter((fact) => binding.facts[fact] === null);
        if (added.length > 0) {
          tx.recorders.bind(recorder.serial, facts, STATION_ACTOR, at);
          this.audit.append(tx, {
            actor: STATION_ACTOR,
            action: 'recorder.bound',
            subject: `recorder:${recorder.serial}`,
            details: { facts, added, first: false, device: volume.device },
          });
        }
        return { admitted: true };
      }
      const again = tx.recorders
        .heldLookalikes()
        .find(
          (held) =>
            held.recorderSerial.toUpperCase() === recorder.serial.toUpperCase() &&
            differingFacts(held.seen, seen).length === 0 &&
            differingFacts(seen, held.seen).length === 0,
        );
      if (again !== undefined) return { admitted: false, lookalike: again };
      const lookalike = tx.recorders.holdLookalike(
        {
          recorderSerial: recorder.serial,
          device: volume.device,
          mountpoint: volume.mountpoint,
          seen,
          bound: binding.facts,
          differs,
        },
        at,
      );
      this.audit.append(tx, {
        actor: STATION_ACTOR,
        action: 'recorder.lookalike.held',
        subject: `recorder:${recorder.serial}`,
        details: {
          lookalikeId: lookalike.id,
          device: volume.device,
          mountpoint: volume.mountpoint,
          differs,
          seen,
          bound: binding.facts,
        },
      });
      return { admitted: false, lookalike };
    });
  }

  /** Look-alikes waiting for a custodian, newest first. */
  held(dockedNow: ReadonlySet<number>): Lookalike[] {
    return this.catalogue.recorders
      .heldLookalikes()
      .map((record) => lookalikeView(record, dockedNow.has(record.id)));
  }

  /**
   * A custodian says the held volume is the recorder (a replaced memory card, a reformatted
   * one): its facts become the binding. The caller starts its ingest if it is docked.
   */
  confirm(id: number, reason: string, by: string): LookalikeRecord {
    return this.decide(id, 'confirmed', reason, by, (tx, record, at) => {
      tx.recorders.bind(record.recorderSerial, record.seen, by, at);
      this.audit.append(tx, {
        actor: by,
        action: 'recorder.lookalike.confirmed',
        subject: `recorder:${record.recorderSerial}`,
        details: {
          lookalikeId: id,
          reason,
          differs: record.differs,
          before: record.bound,
          after: record.seen,
        },
      });
    });
  }

  /** A custodian refuses the held volume: nothing on it is ever read. */
  refuse(id: number, reason: string, by: string): LookalikeRecord {
    return this.decide(id, 'refused', reason, by, (tx, record) => {
      this.audit.append(tx, {
        actor: by,
        action: 'recorder.lookalike.refused',
        subject: `recorder:${record.recorderSerial}`,
        details: {
          lookalikeId: id,
          reason,
          differs: record.differs,
          seen: record.seen,
          bound: record.bound,
          device: record.device,
        },
      });
    });
  }

  /**
   * The docking a confirmed look-alike was ingested as: linked to it, and the changed facts put
   * on the docking as a finding, with who confirmed them and why.
   */
  ingestedAs(record: LookalikeRecord, dockingId: number): void {
    this.catalogue.write((tx) => {
      tx.recorders.setLookalikeDocking(record.id, dockingId);
      tx.dockings.addFinding(
        dockingId,
        {
          code: 'recorder-facts-changed',
          message: `the device differs from the one recorder ${record.recorderSerial} was bound to (${record.differs.join(', ')}); custodian ${record.decidedBy ?? ''} confirmed it is the recorder: ${record.reason ?? ''}`,
          details: {
            lookalikeId: record.id,
            differs: record.differs,
            before: record.bound,
            after: record.seen,
            confirmedBy: record.decidedBy,
            reason: record.reason,
          },
        },
        this.now().toISOString(),
      );
    });
  }

  private decide(
    id: number,
    decision: 'confirmed' | 'refused',
    reason: string,
    by: string,
    write: (tx: CatalogueWrite, record: LookalikeRecord, at: string) => void,
  ): LookalikeRecord {
    return this.catalogue.write((tx) => {
      const record = tx.recorders.lookalike(id);
      if (!record) throw new RpcError('NOT_FOUND', `No look-alike ${id}.`);
      if (record.decision !== null) {
        throw new RpcError(
          'CONFLICT',
          `Look-alike ${id} was already ${record.decision} by ${record.decidedBy ?? 'someone'}.`,
        );
      }
      if (!tx.recorders.getActive(record.recorderSerial)) {
        throw new RpcError(
          'CONFLICT',
          `Recorder ${record.recorderSerial} is no longer registered; register it again instead.`,
        );
      }
      const at = this.now().toISOString();
      tx.recorders.decideLookalike(id, decision, by, reason, at);
      write(tx, record, at);
      return tx.recorders.lookalike(id)!;
    });
  }
}

export function lookalikeView(record: LookalikeRecord, docked: boolean): Lookalike {
  return { ...record, docked };
}
