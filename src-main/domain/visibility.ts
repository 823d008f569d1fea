import type { AuditEntry, Confidentiality, EventName, Role } from '../contract';
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

/** What history entries may say to someone who may not see the clip they are about. */
const WITHHELD = { withheld: 'D-CONFIDENTIAL' } as const;

/** The clip an entry is about (`clip:<id>`), if any. */
export function clipOfEntry(entry: Pick<AuditEntry, 'subject'>): number | null {
  const id = /^clip:(\d+)$/.exec(entry.subject)?.[1];
  return id === undefined ? null : Number(id);
}

/**
 * An audit entry as a viewer may read it. The entry stays in the chain as it is; a supervisor
 * reads that a confidential clip was labelled, not what its label says (D-CONFIDENTIAL).
 */
export function auditEntryFor(
  viewer: Viewer,
  entry: AuditEntry,
  confidentialityOf: (clipId: number) => Confidentiality,
): AuditEntry {
  if (viewer.role !== 'supervisor' || entry.action !== 'clip.labelled') return entry;
  const clipId = clipOfEntry(entry);
  if (clipId === null || confidentialityOf(clipId) === 'none') return entry;
  return { ...entry, details: { ...WITHHELD } };
}

/** Whether a pushed event reaches a viewer at all (its permission, checked at each event). */
export function mayReceive(viewer: Viewer | null, event: EventName): viewer is Viewer {
  // No event is public: each goes to a session whose role holds the event's permission.
  return viewer !== null && roleHasPermission(viewer.role, EVENTS[event].permission);
}
