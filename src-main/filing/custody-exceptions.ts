import type { Catalogue } from '../catalogue/catalogue';
import { RpcError, type CustodyExceptionKind, type User } from '../contract';
import type { AuditLog } from '../custody/audit-log';
import { applyClockOffset, isLateCustody } from '../domain';
import type { LabelService } from './label-service';
import { clockOffsetOf } from './clip-views';

/**
 * D-24H exceptions: continuous duty, off-site duty or a remote area, and when the officer was
 * back at the unit. Declared by the officer for their own clips, or by a custodian.
 */
export class CustodyExceptions {
  constructor(
    private readonly deps: { catalogue: Catalogue; audit: AuditLog; now: () => Date },
    private readonly labels: LabelService,
  ) {}

  /**
   * D-24H: records why custody came late. The clip stays late when custody was still more than
   * 24 h after the officer's return.
   */
  recordCustodyException(
    clipIds: readonly number[],
    exception: { kind: CustodyExceptionKind; returnedAt: string; note: string | null },
    caller: User,
  ): { id: number; lateCustody: boolean }[] {
    return this.deps.catalogue.write((tx) => {
      const { labels } = this.deps.catalogue;
      const { audit } = this.deps;
      const targets = this.labels.resolveTarget({ clipIds: [...clipIds] }, caller);
      const onTime = targets.filter((c) => !labels.isLateAtDocking(c.id));
      if (onTime.length > 0) {
        throw new RpcError(
          'CONFLICT',
          `Clip ${onTime.map((c) => c.id).join(', ')} came into custody within 24 h: no exception is needed (D-24H).`,
        );
      }
      const returnedAt = new Date(exception.returnedAt).toISOString();
      const at = this.deps.now().toISOString();
      // The officer was back at the unit by the time the station took custody of the clip.
      const afterCustody = targets.filter((c) => Date.parse(returnedAt) > Date.parse(c.custodyAt));
      if (afterCustody.length > 0) {
        throw new RpcError(
          'BAD_REQUEST',
          `The return to the unit (${returnedAt}) is after the station took custody of clip ${afterCustody
            .map((c) => c.id)
            .join(', ')}: give the time the officer was back (D-24H).`,
          { field: 'returnedAt' },
        );
      }
      return targets.map((clip) => {
        const stillLate = isLateCustody({
          recordedEnd: applyClockOffset(clip.recordedEnd, clockOffsetOf(clip)),
          custodyAt: clip.custodyAt,
          exception: { kind: exception.kind, returnedAt },
        });
        tx.labels.saveCustodyException({
          clipId: clip.id,
          kind: exception.kind,
          returnedAt,
          note: exception.note,
          stillLate,
          recordedBy: caller.badge,
          recordedAt: at,
        });
        audit.append(tx, {
          actor: caller.badge,
          action: 'clip.custody.excepted',
          subject: `clip:${clip.id}`,
          details: { kind: exception.kind, returnedAt, note: exception.note, stillLate },
        });
        return { id: clip.id, lateCustody: stillLate };
      });
    });
  }
}
