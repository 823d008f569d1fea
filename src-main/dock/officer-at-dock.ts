import type { AuthService, Caller } from '../auth/auth-service';
import type { Catalogue, CatalogueWrite } from '../catalogue/catalogue';
import type { DockingRecord } from '../catalogue/dockings';
import {
  isOfficerConfirmed,
  RpcError,
  type Docking,
  type ErrorCode,
  type IdentifiedBy,
} from '../contract';
import { STATION_ACTOR, type AuditLog } from '../custody/audit-log';
import { CardReader, type CardReaderOptions, type DevicesLog } from '../devices';
import { mayConfirmAtDock, mayReattributeDocking, sameBadge, type Viewer } from '../domain';
import type { DockService } from './dock-service';

/**
 * The officer a docking was issued to may confirm it while its recorder is docked, or this long
 * after it started.
 */
const CONFIRM_WINDOW_MS = 24 * 3600_000;

export interface OfficerAtDockOptions {
  catalogue: Catalogue;
  audit: AuditLog;
  auth: AuthService;
  dock: DockService;
  now: () => Date;
  log: DevicesLog;
  /** Replaces node-hid for the card reader (tests). */
  openReader?: CardReaderOptions['open'];
}

/** Why a confirmation is refused: the code the caller hears, and the reason the audit keeps. */
interface Refusal {
  code: ErrorCode;
  reason: string;
  message: string;
}

/**
 * Who docked (D-WHO-RECORDS: the producer of a clip is the officer who recorded it). At first the
 * recorder's assigned officer; then confirmed by that officer, as themselves, with their PIN at
 * the screen or their IC card at the dock's reader. A docking is confirmed once: after that only a
 * custodian moves it, with a reason. Every check and the write it guards happen in one catalogue
 * transaction, so two confirmations at once cannot both win.
 */
export class OfficerAtDock {
  private reader: CardReader | undefined;
  private readerChange: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly options: OfficerAtDockOptions) {}

  /**
   * The session's officer confirms a docking as theirs with their PIN. `badge`, when the client
   * sends one, must be the session's own: nobody confirms in another's name.
   */
  async confirmWithPin(
    dockingId: number,
    caller: Caller,
    pin: string,
    badge?: string,
  ): Promise<Docking> {
    const viewer: Viewer = { badge: caller.user.badge, role: caller.user.role };
    if (!mayConfirmAtDock(viewer, badge ?? viewer.badge)) {
      throw this.refused(
        viewer.badge,
        dockingId,
        viewer.role === 'officer'
          ? {
              code: 'FORBIDDEN',
              reason: 'not-self',
              message: `You can confirm a docking only as yourself (${viewer.badge}), not as ${badge}.`,
            }
          : {
              code: 'FORBIDDEN',
              reason: 'not-an-officer',
              message:
                'Only the officer who recorded confirms a docking at the dock (D-WHO-RECORDS).',
            },
      );
    }
    // Asked before the PIN too, so a hopeless request costs no PIN attempt; asked again below,
    // in the transaction that writes.
    const early = this.refusal(this.docking(dockingId), viewer.badge);
    if (early !== null) throw this.refused(viewer.badge, dockingId, early);
    // The PIN attempt counts against the officer's account and against this session.
    await this.options.auth.verifyPin(viewer.badge, pin, caller.token);
    return this.confirm(dockingId, viewer.badge, 'badge-pin');
  }

  /**
   * A card at the reader confirms the newest unconfirmed docking whose recorder is docked now,
   * preferring one issued to the card's holder: the card is the officer's presence at the dock.
   */
  cardPresented(cardNumber: string): void {
    const user = this.options.catalogue.users.findByCard(cardNumber);
    if (!user || user.disabled) {
      this.options.audit.record({
        actor: STATION_ACTOR,
        action: 'docking.officer.refused',
        subject: 'card',
        details: { reason: user ? 'disabled' : 'unknown-card' },
      });
      return;
    }
    if (!mayConfirmAtDock(user, user.badge)) {
      this.options.audit.record({
        actor: user.badge,
        action: 'docking.officer.refused',
        subject: 'card',
        details: { reason: 'not-an-officer', how: 'card' },
      });
      return;
    }
    const open = this.options.dock
      .dockedNow()
      .map((id) => this.options.catalogue.dockings.get(id))
      .filter((d): d is DockingRecord => d !== undefined && !isOfficerConfirmed(d));
    const target = open.find((d) => sameBadge(d.officerBadge, user.badge)) ?? open[0];
    if (target === undefined) {
      this.options.log('info', 'a card was presented with no unconfirmed docking', {
        badge: user.badge,
      });
      return;
    }
    try {
      this.confirm(target.id, user.badge, 'card');
    } catch (error) {
      // Confirmed by someone else a moment ago: the refusal is on record, nothing to answer.
      this.options.log('info', 'a card confirmed no docking', {
        badge: user.badge,
        dockingId: target.id,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  /**
   * A custodian moves a finished docking and its clips to the officer who recorded it, with a
   * reason: audited under the custodian with who it was before, and recorded as a finding.
   */
  reattribute(dockingId: number, officerBadge: string, reason: string, by: Viewer): Docking {
    if (!mayReattributeDocking(by)) {
      throw new RpcError('FORBIDDEN', 'Only a custodian re-attributes a docking (D-CUSTODIAN).');
    }
    const { catalogue, audit } = this.options;
    catalogue.write((tx) => {
      const record = tx.dockings.get(dockingId);
      if (!record) throw new RpcError('NOT_FOUND', `No docking ${dockingId}.`);
      if (this.options.dock.engine.isRunning(dockingId)) {
        throw new RpcError(
          'CONFLICT',
          `Docking ${dockingId} is still being collected; re-attribute it once it has finished.`,
        );
      }
      const officer = tx.users.get(officerBadge);
      if (!officer) throw new RpcError('NOT_FOUND', `No user with badge ${officerBadge}.`);
      if (officer.role !== 'officer') {
        throw new RpcError(
          'BAD_REQUEST',
          `${officer.badge} is not an officer: a docking belongs to the officer who recorded it (D-WHO-RECORDS).`,
        );
      }
      if (sameBadge(record.officerBadge, officer.badge)) {
        throw new RpcError(
          'CONFLICT',
          `Docking ${dockingId} is already attributed to ${officer.badge}.`,
        );
      }
      const at = this.options.now().toISOString();
      // Clips first: they follow whoever the docking named until now.
      const clips = tx.clips.setOfficerOfDocking(dockingId, officer.badge);
      tx.dockings.setOfficer(dockingId, officer.badge, 'reattributed', at);
      const finding = tx.dockings.addFinding(
        dockingId,
        {
          code: 'docking-reattributed',
          message: `re-attributed by custodian ${by.badge} from ${record.officerBadge ?? 'nobody'} to ${officer.badge}: ${reason}`,
          details: { from: record.officerBadge, to: officer.badge, by: by.badge, reason },
        },
        at,
      );
      audit.append(tx, {
        actor: by.badge,
        action: 'docking.reattributed',
        subject: `docking:${dockingId}`,
        details: {
          recorderSerial: record.recorderSerial,
          reason,
          before: { officerBadge: record.officerBadge, identifiedBy: record.identifiedBy },
          after: { officerBadge: officer.badge, identifiedBy: 'reattributed' },
          // With `before`, which clips followed (setOfficerOfDocking): the sweep replays it.
          recorderOfficerBadge: tx.recorders.get(record.recorderSerial)?.officerBadge ?? null,
          clipsReattributed: clips,
          findingId: finding.id,
        },
      });
    });
    this.options.dock.publishDocking(dockingId);
    return this.options.dock.docking(dockingId)!;
  }

  /**
   * Uses the reader the unit configured (or none); called at start and when the policy changes.
   * Changes take turns: two policy changes at once must not both stop the old reader and each
   * start a new one, leaving a reader the policy no longer names listening.
   */
  configureReader(config: { vendorId: number; productId: number } | null): Promise<void> {
    return this.changeReader(() => (this.closed ? null : config));
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.changeReader(() => null);
  }

  private changeReader(next: () => { vendorId: number; productId: number } | null): Promise<void> {
    const change = this.readerChange.then(async () => {
      await this.reader?.stop();
      this.reader = undefined;
      const config = next();
      if (config === null) return;
      this.reader = new CardReader({
        ...config,
        log: this.options.log,
        ...(this.options.openReader === undefined ? {} : { open: this.options.openReader }),
      });
      this.reader.on('card', (number) => this.cardPresented(number));
      this.reader.start();
    });
    // The next change waits for this one, whether it worked or not (its caller hears how).
    this.readerChange = change.catch(() => undefined);
    return change;
  }

  private docking(dockingId: number): DockingRecord {
    const record = this.options.catalogue.dockings.get(dockingId);
    if (!record) throw new RpcError('NOT_FOUND', `No docking ${dockingId}.`);
    return record;
  }

  /**
   * Why `badge` may not confirm this docking now, or null. Settled dockings are not confirmed
   * again. The officer it was issued to confirms it while docked or within the window; anyone
   * else (a borrowed recorder, or one issued to nobody) only while the recorder is docked, with
   * it in hand, not later from anywhere.
   */
  private refusal(record: DockingRecord, badge: string): Refusal | null {
    if (isOfficerConfirmed(record)) {
      return {
        code: 'CONFLICT',
        reason: 'confirmed',
        // Whose it is stays unsaid: the caller may be another officer (D-NO-LEAK).
        message: `Docking ${record.id} is already confirmed; if that is wrong, a custodian re-attributes it.`,
      };
    }
    const docked = this.options.dock.dockedNow().includes(record.id);
    if (docked) return null;
    if (!sameBadge(record.officerBadge, badge)) {
      return {
        code: 'CONFLICT',
        reason: 'not-at-dock',
        message: `Docking ${record.id} is not issued to ${badge} and its recorder is no longer docked: confirm it while the recorder is docked, or ask a custodian.`,
      };
    }
    const age = this.options.now().getTime() - Date.parse(record.startedAt);
    if (age > CONFIRM_WINDOW_MS) {
      return {
        code: 'CONFLICT',
        reason: 'too-old',
        message: `Docking ${record.id} is too old to confirm: its recorder is not docked and it started more than 24 h ago.`,
      };
    }
    return null;
  }

  /**
   * Attributes the docking and its clips to `badge`, confirmed `how`, audited under `badge` (the
   * session's officer, or the card's holder at the reader). The checks run again in the write
   * transaction: of two confirmations at once, the second finds the docking confirmed.
   */
  private confirm(dockingId: number, badge: string, how: IdentifiedBy): Docking {
    const { catalogue, dock } = this.options;
    const refused = catalogue.write((tx): Refusal | null => {
      const record = tx.dockings.get(dockingId);
      if (!record) throw new RpcError('NOT_FOUND', `No docking ${dockingId}.`);
      const refusal = this.refusal(record, badge);
      if (refusal !== null) {
        this.appendRefusal(tx, badge, dockingId, refusal, how);
        return refusal;
      }
      if (record.officerBadge !== null && !sameBadge(record.officerBadge, badge)) {
        tx.dockings.addFinding(
          dockingId,
          {
            code: 'officer-not-assigned',
            message: `confirmed at the dock by ${badge}, not by the recorder's assigned officer ${record.officerBadge}; the clips are attributed to ${badge}`,
            details: { confirmedBy: badge, assigned: record.officerBadge },
          },
          this.options.now().toISOString(),
        );
      }
      // Joins this transaction; last, so nothing after it can roll back what the job was told.
      dock.engine.identifyOfficer(dockingId, badge, how, badge);
      return null;
    });
    if (refused !== null) throw refusalError(refused);
    dock.publishDocking(dockingId);
    return dock.docking(dockingId)!;
  }

  /** A refused confirmation, on record under who tried (D-SUPERVISION), then thrown. */
  private refused(actor: string, dockingId: number, refusal: Refusal): RpcError {
    this.options.catalogue.write((tx) =>
      this.appendRefusal(tx, actor, dockingId, refusal, 'badge-pin'),
    );
    return refusalError(refusal);
  }

  private appendRefusal(
    tx: CatalogueWrite,
    actor: string,
    dockingId: number,
    refusal: Refusal,
    how: IdentifiedBy,
  ): void {
    this.options.audit.append(tx, {
      actor,
      action: 'docking.officer.refused',
      subject: `docking:${dockingId}`,
      details: { reason: refusal.reason, how },
    });
  }
}

/** The refusal as the caller hears it; `reason` lets the screen say it in the officer's words. */
function refusalError(refusal: Refusal): RpcError {
  return new RpcError(refusal.code, refusal.message, { reason: refusal.reason });
}
