import type { AuditEntry, Confidentiality, DockedVolume, EventName, Role } from '../contract';
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

/**
 * A docked volume as a viewer may see it: another officer's recorder is a bay in use, without
 * whose (D-NO-LEAK). Only its device and docking id stay, which name nobody; every other fact is
 * withheld (the mount point too: automounters name it after the label), including any the volume
 * view gains later. Volumes that are nobody's recorder yet are shown as they are.
 */
export function volumeFor(
  viewer: Viewer,
  volume: DockedVolume,
  officerOf: (volume: DockedVolume) => string | null,
): DockedVolume {
  if (volume.state !== 'recorder' || seesDocking(viewer, () => officerOf(volume))) return volume;
  const withheld = Object.fromEntries(Object.keys(volume).map((key) => [key, null]));
  return {
    ...withheld,
    device: volume.device,
    mountpoint: '',
    state: 'busy',
    dockingId: volume.dockingId,
  } as DockedVolume;
}

/** What a history entry says to someone who may not read its details, and the rule why. */
const WITHHELD_CONFIDENTIAL = { withheld: 'D-CONFIDENTIAL' } as const;
const WITHHELD_FOOTAGE = { withheld: 'D-NO-LEAK' } as const;

/** The clip an entry is about (`clip:<id>`), if any. */
export function clipOfEntry(entry: Pick<AuditEntry, 'subject'>): number | null {
  const id = /^clip:(\d+)$/.exec(entry.subject)?.[1];
  return id === undefined ? null : Number(id);
}

/** Whether an entry is about footage: a clip or a case, or something done to one. */
function isAboutFootage(entry: Pick<AuditEntry, 'subject' | 'action'>): boolean {
  return /^(clip|case):/.test(entry.subject) || /^(clip|case)\./.test(entry.action);
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
 * - an admin, who runs accounts and sees no footage, when it is about a clip or a case
 *   (D-NO-LEAK): labels, parties, notes, plays, custody exceptions, case titles.
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
      if (clipId === null) return entry;
      const levels = [...recordedConfidentiality(entry), confidentialityOf(clipId)];
      const seen = levels.every((level) =>
        mayView(viewer, { officerBadge: null, confidentiality: level }),
      );
      return seen ? entry : { ...entry, details: { ...WITHHELD_CONFIDENTIAL } };
    }
    default:
      // Admins; and anyone else the log might ever be shown to gets no more than they do.
      return isAboutFootage(entry) ? { ...entry, details: { ...WITHHELD_FOOTAGE } } : entry;
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
