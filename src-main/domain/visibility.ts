import type {
  AuditEntry,
  Confidentiality,
  DockedVolume,
  EventName,
  Lookalike,
  RecorderFacts,
  Role,
} from '../contract';
import { roleHasPermission, EVENTS } from '../contract';

/**
 * Who may see what (D-NO-LEAK, D-CONFIDENTIAL, D-SUPERVISION): the one place that decides it.
 * Every handler, search, pushed event and audit view asks here, so the rules cannot drift apart.
 *
 * - Officers see their own footage, the cases they handle, opened or filed footage under, and
 *   their own dockings' filing.
 * - Custodians run the archive: they see everything, personal data included.
 * - Supervisors oversee: they see ordinary footage and every case, never a confidential clip
 *   (only its counts in reports), nor what its labels say in the history.
 * - Admins run accounts: they see no footage.
 */

/** Who is asking. */
export interface Viewer {
  badge: string;
  role: Role;
}

/** A clip as visibility sees it. */
export interface GuardedClip {
  /** The recording officer. */
  officerBadge: string | null;
  confidentiality: Confidentiality;
}

/** Badges compare case-insensitively, as the users table does (COLLATE NOCASE). */
export const sameBadge = (a: string | null, b: string): boolean =>
  a !== null && a.toUpperCase() === b.toUpperCase();

/**
 * D-CONFIDENTIAL and D-NO-LEAK: who may see a clip (its facts, its thumbnail). Clips that involve
 * personal privacy, commercial or state secrets are seen by the recording officer and custodians,
 * and by supervisors only through reports (`forReport`).
 */
export function mayView(viewer: Viewer, clip: GuardedClip, forReport = false): boolean {
  switch (viewer.role) {
    case 'officer':
      return sameBadge(clip.officerBadge, viewer.badge);
    case 'custodian':
      return true;
    case 'supervisor':
      return clip.confidentiality === 'none' || forReport;
    default:
      return false;
  }
}

/**
 * D-CONFIDENTIAL: whether a viewer may read what a disc's checks found in its originals (their
 * paths name the case, the officer, the date and the file): only if they may see every clip on
 * the disc. Anyone who reads the register sees a disc's state and counts.
 */
export function seesDiscContents(
  viewer: Viewer,
  confidentialities: readonly GuardedClip['confidentiality'][],
): boolean {
  return confidentialities.every((confidentiality) =>
    mayView(viewer, { officerBadge: null, confidentiality }),
  );
}

/**
 * Playback is a view of the footage itself: as `mayView`, and a state-secret clip is played by
 * nobody without the custodian role, not even the officer who recorded it.
 */
export function mayPlay(viewer: Viewer, clip: GuardedClip): boolean {
  if (clip.confidentiality === 'state') return viewer.role === 'custodian';
  return mayView(viewer, clip);
}

/** The parties' ID numbers are personal data: for the recording officer and custodians. */
export function seesPersonalData(viewer: Viewer, clip: Pick<GuardedClip, 'officerBadge'>): boolean {
  return viewer.role === 'custodian' || sameBadge(clip.officerBadge, viewer.badge);
}

/** Which clips a viewer's lists and searches hold, as conditions a query can use. */
export interface ClipScope {
  /** Only this officer's clips. */
  officerBadge?: string;
  /** Leave out clips labelled confidential. */
  onlyUnconfidential: boolean;
}

/** The clips a viewer may list (as `mayView`), or null when they may list none. */
export function clipScope(viewer: Viewer): ClipScope | null {
  switch (viewer.role) {
    case 'officer':
      return { officerBadge: viewer.badge, onlyUnconfidential: false };
    case 'custodian':
      return { onlyUnconfidential: false };
    case 'supervisor':
      return { onlyUnconfidential: true };
    default:
      return null;
  }
}

/** Who handles a case and who opened it. */
export interface CaseHands {
  handlingOfficer: string | null;
  createdBy: string;
}

/** Which cases a viewer's lists hold: an officer's own (see `mayOpenCase`), or all. */
export function caseScope(viewer: Viewer): { officer?: string } | null {
  switch (viewer.role) {
    case 'officer':
      return { officer: viewer.badge };
    case 'custodian':
    case 'supervisor':
      return {};
    default:
      return null;
  }
}

/**
 * Whether a viewer may open a case: an officer the cases they handle, opened or filed footage
 * under (`involved`, asked only of an officer: it is a query); custodians and supervisors any.
 */
export function mayOpenCase(viewer: Viewer, involved: () => boolean): boolean {
  const scope = caseScope(viewer);
  return scope !== null && (scope.officer === undefined || involved());
}

/**
 * Whether a viewer may change a case or file footage under it: an officer the cases they handle
 * or opened; custodians any.
 */
export function mayManageCase(viewer: Viewer, kase: CaseHands): boolean {
  if (viewer.role === 'custodian') return true;
  if (viewer.role !== 'officer') return false;
  return sameBadge(kase.handlingOfficer, viewer.badge) || sameBadge(kase.createdBy, viewer.badge);
}

/**
 * Why a viewer may not change a case or file footage under it, or null when they may: a case
 * they may not even open is `hidden` (answered as if it did not exist, D-NO-LEAK); one they may
 * open but not change is `forbidden`.
 */
export function caseRefusal(
  viewer: Viewer,
  kase: CaseHands,
  involved: () => boolean,
): 'hidden' | 'forbidden' | null {
  if (mayManageCase(viewer, kase)) return null;
  return mayOpenCase(viewer, involved) ? 'forbidden' : 'hidden';
}

/** Whether a viewer may open a case for another officer to handle (custodians only). */
export function mayOpenCaseFor(viewer: Viewer, handlingOfficer: string): boolean {
  return viewer.role !== 'officer' || sameBadge(handlingOfficer, viewer.badge);
}

/** Officers label their own clips; custodians any (D-LABEL). */
export function mayLabel(viewer: Viewer, clip: Pick<GuardedClip, 'officerBadge'>): boolean {
  if (viewer.role === 'custodian') return true;
  return viewer.role === 'officer' && sameBadge(clip.officerBadge, viewer.badge);
}

/** Whose clips a label by time range is about when the viewer names nobody: their own. */
export function ownLabelTarget(viewer: Viewer): string | undefined {
  return viewer.role === 'officer' ? viewer.badge : undefined;
}

/** D-CONFIDENTIAL: only a custodian lowers a clip's confidentiality. */
export function mayLowerConfidentiality(viewer: Viewer): boolean {
  return viewer.role === 'custodian';
}

/** Whether a viewer may say they are done with a docking: its officer, or a custodian. */
export function mayFinishDocking(
  viewer: Viewer,
  docking: { officerBadge: string | null },
): boolean {
  return viewer.role !== 'officer' || sameBadge(docking.officerBadge, viewer.badge);
}

/**
 * D-WHO-RECORDS: who may say "this docking is mine" at the dock. Only an officer records, and
 * only as themselves: nobody confirms a docking in someone else's name, and custodians,
 * supervisors and admins confirm none (their PIN moves no officer's clips).
 */
export function mayConfirmAtDock(viewer: Viewer, as: string): boolean {
  return viewer.role === 'officer' && sameBadge(viewer.badge, as);
}

/**
 * D-WHO-RECORDS, D-CUSTODIAN: a docking confirmed at the dock is moved to another officer only
 * by a custodian, with a reason (the officer who recorded, when someone else confirmed it).
 */
export function mayReattributeDocking(viewer: Viewer): boolean {
  return viewer.role === 'custodian';
}

/**
 * Whose dockings a viewer sees whole (recorder, officer, clips, findings): those whose clips
 * they may list (`clipScope`): an officer their own, custodians and supervisors every one
 * (D-CUSTODIAN, D-SUPERVISION), admins none. `officerOf` is asked only when it decides.
 */
export function seesDocking(viewer: Viewer, officerOf: () => string | null): boolean {
  const scope = clipScope(viewer);
  if (scope === null) return false;
  return scope.officerBadge === undefined || sameBadge(officerOf(), scope.officerBadge);
}

/** Whether a viewer sees every docking whole: custodians and supervisors (see `seesDocking`). */
function seesEveryDocking(viewer: Viewer): boolean {
  const scope = clipScope(viewer);
  return scope !== null && scope.officerBadge === undefined;
}

/** Device facts, none of them said. */
const NO_FACTS: RecorderFacts = {
  usbVendorId: null,
  usbProductId: null,
  usbSerial: null,
  fsUuid: null,
  capacity: null,
};

/**
 * A held look-alike as a viewer may read it (D-NO-LEAK, D-WHO-RECORDS). The facts its recorder is
 * bound to would let anyone make a device pass as that recorder: only custodians, who decide, read
 * them (the Recorders screen's list). Supervisors read the rest; anyone else (an admin, who runs
 * accounts) reads what was decided, not the facts of either device, nor whose it claims to be.
 */
export function lookalikeFor(viewer: Viewer, lookalike: Lookalike): Lookalike {
  if (viewer.role === 'custodian') return lookalike;
  if (viewer.role === 'supervisor') return { ...lookalike, bound: NO_FACTS };
  return {
    ...lookalike,
    officerBadge: null,
    officerName: null,
    device: '',
    mountpoint: '',
    seen: NO_FACTS,
    bound: NO_FACTS,
  };
}

/**
 * A bay as a viewer may see it: every fact of the volume withheld (the mount point too:
 * automounters name it after the label), including any the volume view gains later, but its
 * device, its state, and what `kept` says.
 */
function bay(
  volume: DockedVolume,
  state: DockedVolume['state'],
  kept: Partial<DockedVolume> = {},
): DockedVolume {
  const withheld = Object.fromEntries(Object.keys(volume).map((key) => [key, null]));
  return { ...withheld, device: volume.device, mountpoint: '', state, ...kept } as DockedVolume;
}

/**
 * A docked volume as a viewer may see it (D-NO-LEAK, D-WHO-RECORDS):
 * - a recorder whose docking they may not see is a busy bay, without whose, which, or its docking
 *   (whose id would let them ask to confirm it); except, to an officer, a pool recorder's docking
 *   nobody has confirmed yet (`officerOf` says nobody): that is nobody's, and the officer at the
 *   dock who recorded on it confirms it, so it shows its docking id, serial and model, nothing of
 *   its footage (`unclaimed`);
 * - a held or refused look-alike is shown to custodians and supervisors, without the facts its
 *   recorder is bound to (`lookalikeFor`); to anyone else it is a held bay that names nothing;
 * - volumes that are nobody's recorder (unregistered, ignored) are shown as they are.
 * `officerOf` is asked only when it decides.
 */
export function volumeFor(
  viewer: Viewer,
  volume: DockedVolume,
  officerOf: (volume: DockedVolume) => string | null,
): DockedVolume {
  switch (volume.state) {
    case 'recorder': {
      let officer: string | null | undefined;
      const whose = () => (officer === undefined ? (officer = officerOf(volume)) : officer);
      if (seesDocking(viewer, whose)) return volume;
      if (viewer.role === 'officer' && volume.dockingId !== null && whose() === null) {
        return bay(volume, 'unclaimed', {
          dockingId: volume.dockingId,
          serial: volume.serial,
          profileId: volume.profileId,
        });
      }
      return bay(volume, 'busy');
    }
    case 'held':
    case 'refused':
      if (!seesEveryDocking(viewer)) return bay(volume, volume.state);
      return {
        ...volume,
        lookalike:
          volume.lookalike === null
            ? null
            : { ...lookalikeFor(viewer, volume.lookalike), bound: NO_FACTS },
      };
    default:
      return volume;
  }
}

/** What a history entry says to someone who may not read its details, and the rule why. */
const WITHHELD_CONFIDENTIAL = { withheld: 'D-CONFIDENTIAL' } as const;
const WITHHELD_FOOTAGE = { withheld: 'D-NO-LEAK' } as const;

/** The clip an entry is about (`clip:<id>`), if any. */
export function clipOfEntry(entry: Pick<AuditEntry, 'subject'>): number | null {
  const id = /^clip:(\d+)$/.exec(entry.subject)?.[1];
  return id === undefined ? null : Number(id);
}

/**
 * Whether an entry is about footage, for someone who sees none: a clip or a case, or something
 * done to one; a docking (who recorded, why a docking was moved, why labels wait); the archive and
 * its integrity sweeps (archive paths carry the recorder's serial and the files' names); a
 * look-alike's hold and decision, and the device facts a recorder is bound to; discs (their sets
 * name cases, their handovers the courts footage went to).
 */
function isAboutFootage(entry: Pick<AuditEntry, 'subject' | 'action'>): boolean {
  return (
    /^(clip|case|docking|archive|disc|discset):/.test(entry.subject) ||
    /^(clip|case|docking|archive|integrity|disc)\./.test(entry.action) ||
    /^recorder\.(lookalike\.|bound$)/.test(entry.action)
  );
}

/**
 * The subject as someone who sees no footage may read it: an archive path (`archive:<path>`)
 * names the recorder's serial and the file, so only that it is about the archive is said.
 */
function subjectWithoutFootage(subject: string): string {
  return subject.startsWith('archive:') ? 'archive' : subject;
}

/**
 * The details of the entries that record the device facts a recorder is bound to (its binding,
 * a look-alike held against it, a look-alike confirmed as it), as a supervisor reads them: what
 * happened and why, not the facts, which would let a device pass as the recorder (D-NO-LEAK).
 */
const DEVICE_FACT_KEYS = ['facts', 'added', 'bound', 'before', 'after'] as const;
function withoutBoundFacts(entry: AuditEntry): AuditEntry {
  if (!/^recorder\.(lookalike\.|bound$)/.test(entry.action)) return entry;
  const held = DEVICE_FACT_KEYS.filter((key) => key in entry.details);
  if (held.length === 0) return entry;
  const details = { ...entry.details };
  for (const key of held) details[key] = { ...WITHHELD_FOOTAGE };
  return { ...entry, details };
}

/**
 * The confidentiality an entry itself records (a label's before and after): a label written
 * while a clip was confidential stays so in the history after the clip is lowered.
 */
function recordedConfidentiality(entry: Pick<AuditEntry, 'details'>): Confidentiality[] {
  const levels: Confidentiality[] = [];
  for (const side of [entry.details.before, entry.details.after]) {
    const level = (side as { confidentiality?: unknown } | null | undefined)?.confidentiality;
    if (typeof level === 'string') levels.push(level as Confidentiality);
  }
  return levels;
}

/**
 * An audit entry as a viewer may read it: the one rule for `audit.list` and the pushed
 * `audit.appended` alike. The entry stays in the chain as it is, and every viewer learns that it
 * happened (D-SUPERVISION); its details are withheld from
 * - a supervisor, when it is about a clip they may not see (D-CONFIDENTIAL): confidential now, or
 *   confidential in what the entry itself records;
 * - an admin, who runs accounts and sees no footage, when it is about footage (D-NO-LEAK): a
 *   clip or a case (labels, parties, notes, plays, custody exceptions, case titles), a docking,
 *   the archive and its integrity sweeps, a look-alike or a recorder's bound device facts; an
 *   archive path in the subject is withheld too. Accounts and the station stay readable;
 * - a supervisor, the device facts a recorder is bound to (`withoutBoundFacts`).
 * `confidentialityOf` is asked only for supervisors' entries about a clip.
 */
export function auditEntryFor(
  viewer: Viewer,
  entry: AuditEntry,
  confidentialityOf: (clipId: number) => Confidentiality,
): AuditEntry {
  switch (viewer.role) {
    case 'custodian':
      return entry;
    case 'supervisor': {
      const clipId = clipOfEntry(entry);
      if (clipId === null) return withoutBoundFacts(entry);
      const levels = [...recordedConfidentiality(entry), confidentialityOf(clipId)];
      const seen = levels.every((level) =>
        mayView(viewer, { officerBadge: null, confidentiality: level }),
      );
      return seen ? entry : { ...entry, details: { ...WITHHELD_CONFIDENTIAL } };
    }
    default:
      // Admins; and anyone else the log might ever be shown to gets no more than they do.
      return isAboutFootage(entry)
        ? {
            ...entry,
            subject: subjectWithoutFootage(entry.subject),
            details: { ...WITHHELD_FOOTAGE },
          }
        : entry;
  }
}

/** What a finding of the archive integrity sweep says of a clip. */
export interface IntegrityFinding {
  clipId: number | null;
  archivePath: string;
  message: string;
  details: Record<string, unknown>;
}

/**
 * A finding of the integrity sweep as a viewer may read it (D-SUPERVISION, D-CONFIDENTIAL): a
 * supervisor learns that a confidential clip was deleted or altered, and which one, but not where
 * it is archived or what it was called (the same as its audit entries); custodians read it whole.
 */
export function integrityFindingFor<F extends IntegrityFinding>(
  viewer: Viewer,
  finding: F,
  confidentialityOf: (clipId: number) => Confidentiality,
): F {
  if (viewer.role === 'custodian' || finding.clipId === null) return finding;
  const confidentiality = confidentialityOf(finding.clipId);
  if (mayView(viewer, { officerBadge: null, confidentiality })) return finding;
  return { ...finding, archivePath: '', message: '', details: { ...WITHHELD_CONFIDENTIAL } };
}

/** Whether a pushed event reaches a viewer at all (its permission, checked at each event). */
export function mayReceive(viewer: Viewer | null, event: EventName): viewer is Viewer {
  // No event is public: each goes to a session whose role holds the event's permission.
  return viewer !== null && roleHasPermission(viewer.role, EVENTS[event].permission);
}
