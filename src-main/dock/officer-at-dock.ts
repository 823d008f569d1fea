import type { AuthService } from '../auth/auth-service';
import type { Catalogue } from '../catalogue/catalogue';
import type { DockingRecord } from '../catalogue/dockings';
import { RpcError, type Docking, type IdentifiedBy } from '../contract';
import { STATION_ACTOR, type AuditLog } from '../custody/audit-log';
import { CardReader, type CardReaderOptions, type DevicesLog } from '../devices';
import { sameBadge } from '../domain';
import type { DockService } from './dock-service';

/** A docking can be confirmed while its recorder is docked, or this long after it started. */
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

/**
 * Who docked: at first the recorder's assigned officer; confirmed by the officer with badge + PIN
 * at the screen, or by presenting their IC card to the dock's reader. Confirmation attributes the
 * docking and its clips to that officer; someone other than the assigned officer is a finding.
 */
export class OfficerAtDock {
  private reader: CardReader | undefined;
  private readerChange: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly options: OfficerAtDockOptions) {}

  async confirmWithPin(dockingId: number, badge: string, pin: string): Promise<Docking> {
    const record = this.confirmable(dockingId);
    const user = await this.options.auth.verifyPin(badge, pin);
    return this.confirm(record, user.badge, 'badge-pin');
  }

  /** A card at the reader confirms the newest unconfirmed docking of its holder's recorders. */
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
    const open = this.options.dock
      .dockedNow()
      .map((id) => this.options.catalogue.dockings.get(id))
      .filter((d): d is DockingRecord => d !== undefined && !isConfirmed(d));
    const assigned = (d: DockingRecord) =>
      sameBadge(
        this.options.catalogue.recorders.get(d.recorderSerial)?.officerBadge ?? null,
        user.badge,
      );
    const target = open.find(assigned) ?? open[0];
    if (target === undefined) {
      this.options.log('info', 'a card was presented with no unconfirmed docking', {
        badge: user.badge,
      });
      return;
    }
    this.confirm(target, user.badge, 'card');
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

  private confirmable(dockingId: number): DockingRecord {
    const record = this.options.catalogue.dockings.get(dockingId);
    if (!record) throw new RpcError('NOT_FOUND', `No docking ${dockingId}.`);
    const docked = this.options.dock.dockedNow().includes(dockingId);
    const age = this.options.now().getTime() - Date.parse(record.startedAt);
    if (!docked && age > CONFIRM_WINDOW_MS) {
      throw new RpcError(
        'CONFLICT',
        `Docking ${dockingId} is too old to confirm: its recorder is not docked and it started more than 24 h ago.`,
      );
    }
    return record;
  }

  private confirm(record: DockingRecord, badge: string, how: IdentifiedBy): Docking {
    this.options.dock.engine.identifyOfficer(record.id, badge, how, badge);
    const assigned =
      this.options.catalogue.recorders.get(record.recorderSerial)?.officerBadge ?? null;
    if (assigned !== null && !sameBadge(assigned, badge)) {
      this.options.catalogue.write((tx) =>
        tx.dockings.addFinding(
          record.id,
          {
            code: 'officer-not-assigned',
            message: `confirmed at the dock by ${badge}, not by the recorder's assigned officer ${assigned}; the clips are attributed to ${badge}`,
            details: { confirmedBy: badge, assigned },
          },
          this.options.now().toISOString(),
        ),
      );
    }
    this.options.dock.publishDocking(record.id);
    return this.options.dock.docking(record.id)!;
  }
}

function isConfirmed(docking: DockingRecord): boolean {
  return docking.identifiedBy === 'badge-pin' || docking.identifiedBy === 'card';
}
