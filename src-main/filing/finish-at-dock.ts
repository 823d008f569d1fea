import type { Catalogue } from '../catalogue/catalogue';
import { RpcError, type User } from '../contract';
import type { AuditLog } from '../custody/audit-log';
import { mayFinishDocking } from '../domain';

/**
 * "Done" at the dock (D-LABEL): refused while the officer's clips are unlabelled, unless they say
 * why they wait; the deferral is counted in the compliance report.
 */
export class FinishAtDock {
  constructor(private readonly deps: { catalogue: Catalogue; audit: AuditLog; now: () => Date }) {}

  /**
   * The officer is done at the dock. Refused while clips of theirs are unlabelled unless they say
   * why they defer (the deferral is counted in the compliance report).
   */
  finishDocking(
    dockingId: number,
    deferReason: string | undefined,
    caller: User,
  ): { unlabelled: number; deferred: boolean } {
    return this.deps.catalogue.write((tx) => {
      const { dockings, labels, users } = this.deps.catalogue;
      const { audit } = this.deps;
      const docking = dockings.get(dockingId);
      if (!docking || !mayFinishDocking(caller, docking)) {
        throw new RpcError('NOT_FOUND', `No docking ${dockingId}.`);
      }
      if (docking.status === 'ingesting') {
        throw new RpcError(
          'CONFLICT',
          'The recorder is still being copied: wait for "safe to undock".',
        );
      }
      if (docking.officerBadge === null) {
        throw new RpcError('CONFLICT', 'Nobody is confirmed as the officer of this docking yet.');
      }
      const officer = users.get(docking.officerBadge)?.badge ?? docking.officerBadge;
      const unlabelled = labels.countUnlabelled(officer);
      // Said once per docking: pressing "Done" again neither counts a second deferral nor audits.
      if (docking.officerDoneAt !== null) return { unlabelled, deferred: false };
      if (unlabelled > 0 && deferReason === undefined) {
        throw new RpcError(
          'CONFLICT',
          `${unlabelled} clip(s) are not labelled yet: label them, or say why they wait (D-LABEL).`,
          { unlabelled },
        );
      }
      const at = this.deps.now().toISOString();
      if (unlabelled > 0) {
        const id = tx.labels.addDeferral(
          { officerBadge: officer, dockingId, clips: unlabelled, reason: deferReason! },
          at,
        );
        audit.append(tx, {
          actor: caller.badge,
          action: 'docking.labels.deferred',
          subject: `docking:${dockingId}`,
          details: {
            deferral: id,
            officerBadge: officer,
            clips: unlabelled,
            reason: deferReason,
          },
        });
      }
      tx.dockings.setOfficerDone(dockingId, at);
      audit.append(tx, {
        actor: caller.badge,
        action: 'docking.officer.done',
        subject: `docking:${dockingId}`,
        details: { officerBadge: officer, unlabelled },
      });
      return { unlabelled, deferred: unlabelled > 0 };
    });
  }
}
