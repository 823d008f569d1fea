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

/**
 * D-NO-LEAK: what anyone hears who asks to confirm a docking that is not theirs to confirm,
 * whatever the reason (another officer's, a pool recorder's no longer docked, one that does not
 * exist): one code, one message, so that asking says nothing of the dockings of others. The audit
 * keeps the real reason.
 */
const NOT_YOURS = {
  code: 'NOT_FOUND',
  message:
    'There is no docking of yours to confirm under that number. A recorder issued to another officer is confirmed only by that officer; if you recorded on it, ask a custodian (D-WHO-RECORDS).',
  heard: 'not-yours',
} as const;

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

/**
 * Why a confirmation is refused: the code the caller hears, the reason the audit keeps, and the
 * reason the caller hears (the same, for their own docking; `not-yours` for any other).
 */
interface Refusal {
  code: ErrorCode;
  reason: string;
  message: string;
  heard: string;
}

/** A refusal about a docking that is not the caller's: said as NOT_YOURS, audited as `reason`. */
const notYours = (reason: string): Refusal => ({ ...NOT_YOURS, reason });

/**
 * Who docked (D-WHO-RECORDS: the producer of a clip is the officer who recorded it). At first the
 * recorder's assigned officer; then confirmed, as themselves, with their PIN at the screen or
 * their IC card at the dock's reader: a recorder issued to an officer by that officer only; a pool
 * recorder (issued to nobody) by the officer at the dock, while it is docked. Anything else (a
 * borrowed recorder, a docking someone confirmed wrongly) only a custodian moves, with a reason.
 * A docking is confirmed once. Every check and the write it guards happen in one catalogue
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
              heard: 'not-self',
              message: `You can confirm a docking only as yourself (${viewer.badge}), not as ${badge}.`,
            }
          : {
              code: 'FORBIDDEN',
              reason: 'not-an-officer',
              heard: 'not-an-officer',
              message:
                'Only the officer who recorded confirms a docking at the dock (D-WHO-RECORDS).',
            },
      );
    }
    // Asked before the PIN too, so a hopeless request costs no PIN attempt; asked again below,
    // in the transaction that writes.
    const early = this.refusal(this.options.catalogue.dockings.get(dockingId), viewer.badge);
    if (early !== null) throw this.refused(viewer.badge, dockingId, early);
    // The PIN attempt counts against the officer's account and against this session.
    await this.options.auth.verifyPin(viewer.badge, pin, caller.token);
    return this.confirm(dockingId, viewer.badge, 'badge-pin');
  }

  /**
   * A card at the reader confirms the newest unconfirmed docking whose recorder is docked now and
   * is the card holder's to confirm: one issued to them, else a pool recorder's (issued to
   * nobody). The card is the officer's presence at the dock, not a claim on another's recorder: it
   * never falls back to a docking issued to someone else (D-WHO-RECORDS).
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
    const target =
      open.find((d) => sameBadge(d.officerBadge, user.badge)) ??
      open.find((d) => d.officerBadge === null);
    if (target === undefined) {
      if (open.length > 0) {
        // Recorders of others are docked, none of theirs: on record (D-SUPERVISION), without
        // which dockings were there (the audit is read by more than custodians).
        this.options.audit.record({
          actor: user.badge,
          action: 'docking.officer.refused',
          subject: 'card',
          details: { reason: 'none-of-theirs', how: 'card' },
        });
      }
      this.options.log('info', 'a card was presented with no docking of its holder to confirm', {
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
    // Whose bay it is changed: each screen is told again what it may see of it.
    this.options.dock.publishVolumes();
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

  /**
   * Why `badge` may not confirm this docking now, or null (D-WHO-RECORDS). A docking issued to an
   * officer (the recorder's assigned one, or whoever it was confirmed or re-attributed to) is
   * theirs alone: they confirm it while docked or within the window, once. A pool recorder's
   * docking, issued to nobody, is confirmed by any officer while the recorder is docked, with it
   * in hand, not later from anywhere. Every refusal about a docking that is not the caller's is
   * heard as one (`NOT_YOURS`); only their own docking's are said as they are.
   */
  private refusal(record: DockingRecord | undefined, badge: string): Refusal | null {
    if (record === undefined) return notYours('no-such-docking');
    if (record.officerBadge !== null) {
      if (!sameBadge(record.officerBadge, badge)) return notYours('another-officers');
      if (isOfficerConfirmed(record)) {
        return {
          code: 'CONFLICT',
          reason: 'confirmed',
          heard: 'confirmed',
          message: `Docking ${record.id} is already confirmed as yours; if that is wrong, a custodian re-attributes it.`,
        };
      }
      if (this.options.dock.dockedNow().includes(record.id)) return null;
      const age = this.options.now().getTime() - Date.parse(record.startedAt);
      if (age > CONFIRM_WINDOW_MS) {
        return {
          code: 'CONFLICT',
          reason: 'too-old',
          heard: 'too-old',
          message: `Docking ${record.id} is too old to confirm: its recorder is not docked and it started more than 24 h ago.`,
        };
      }
      return null;
    }
    // Issued to nobody: whoever is at the dock with it, while it is there.
    if (!this.options.dock.dockedNow().includes(record.id)) return notYours('not-at-dock');
    return null;
  }

  /**
   * Attributes the docking and its clips to `badge`, confirmed `how`, audited under `badge` (the
   * session's officer, or the card's holder at the reader). The checks run again in the write
   * transaction: of two confirmations at once, the second finds the docking someone's.
   */
  private confirm(dockingId: number, badge: string, how: IdentifiedBy): Docking {
    const { catalogue, dock } = this.options;
    const refused = catalogue.write((tx): Refusal | null => {
      const refusal = this.refusal(tx.dockings.get(dockingId), badge);
      if (refusal !== null) {
        this.appendRefusal(tx, badge, dockingId, refusal, how);
        return refusal;
      }
      // The officer it was issued to, or the officer at the dock with a pool recorder: nobody
      // is passed over.
      // Joins this transaction; last, so nothing after it can roll back what the job was told.
      dock.engine.identifyOfficer(dockingId, badge, how, badge);
      return null;
    });
    if (refused !== null) throw refusalError(refused);
    dock.publishDocking(dockingId);
    // A pool recorder's bay is the confirming officer's now, and busy to everyone else.
    dock.publishVolumes();
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
  return new RpcError(refusal.code, refusal.message, { reason: refusal.heard });
}
