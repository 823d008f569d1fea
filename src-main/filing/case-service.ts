import type { Catalogue } from '../catalogue/catalogue';
import type { CaseRecord } from '../catalogue/cases';
import type { AuditLog } from '../custody/audit-log';
import {
  RpcError,
  type AuditEntry,
  type Case,
  type CaseAct,
  type CaseStatus,
  type EnforcementKind,
  type NotSuitableReason,
  type ProceduralAct,
  type UnitPolicy,
  type User,
} from '../contract';
import {
  actsMissingFootage,
  archiveByDate,
  caseNumberProblem,
  caseScope,
  caseRefusal,
  closingProblem,
  ENTERED_TIME_SLACK_MS,
  mayOpenCase,
  mayOpenCaseFor,
  openingProblem,
  ownLabelTarget,
  type CaseTimeProblem,
  type Viewer,
} from '../domain';
import { caseView } from './case-views';

export interface CaseServiceDeps {
  catalogue: Catalogue;
  audit: AuditLog;
  now: () => Date;
}

export interface NewCaseInput {
  number: string;
  kind: EnforcementKind;
  title: string;
  openedAt?: string | undefined;
  handlingOfficer?: string | undefined;
  emergency: boolean;
  acts: ProceduralAct[];
}

export interface ActChange {
  number: string;
  act: ProceduralAct;
  link: number[];
  unlink: number[];
  notRecorded?: { reason: NotSuitableReason; text: string } | null | undefined;
  remove: boolean;
}

/** Cases (D-KINDS, D-LATE-START, D-AV-REQUIRED, D-ARCHIVE); every change is audited. */
export class CaseService {
  constructor(private readonly deps: CaseServiceDeps) {}

  private nowIso(): string {
    return this.deps.now().toISOString();
  }

  /** A time the user gives for something that happened: not in the future (a clock's slack aside). */
  private notLater(time: string, what: string): string {
    const ms = Date.parse(time);
    if (ms > this.deps.now().getTime() + ENTERED_TIME_SLACK_MS) {
      throw new RpcError('BAD_REQUEST', `The case cannot be ${what} in the future (${time}).`);
    }
    return new Date(ms).toISOString();
  }

  /** An entered time refused by the facts the station has, as a request error a client reads. */
  private refuseTime(field: 'openedAt' | 'closedAt', problem: CaseTimeProblem): never {
    const { message, ...facts } = problem;
    throw new RpcError('BAD_REQUEST', `${message[0]!.toUpperCase()}${message.slice(1)}.`, {
      field,
      ...facts,
    });
  }

  /** `policy`: read once by a caller that shows many cases. */
  view(kase: CaseRecord, policy: UnitPolicy = this.deps.catalogue.settings.policy()): Case {
    return caseView(kase, this.deps.catalogue.cases.clipCount(kase.number), policy, this.nowIso());
  }

  require(number: string): CaseRecord {
    const kase = this.deps.catalogue.cases.get(number);
    if (!kase) throw new RpcError('NOT_FOUND', `No case ${number.trim()}.`);
    return kase;
  }

  /** Officers change only the cases they handle or opened; custodians any. */
  private involves(kase: CaseRecord, viewer: Viewer): boolean {
    return this.deps.catalogue.cases.involves(kase.number, viewer.badge);
  }

  private requireManaged(number: string, caller: User): CaseRecord {
    const kase = this.require(number);
    const refusal = caseRefusal(caller, kase, () => this.involves(kase, caller));
    if (refusal === 'hidden') throw new RpcError('NOT_FOUND', `No case ${kase.number}.`);
    if (refusal === 'forbidden') {
      throw new RpcError('FORBIDDEN', `Case ${kase.number} is handled by another officer.`);
    }
    return kase;
  }

  /** The cases browser, within what the viewer may see (an officer's own cases). */
  list(
    query: {
      status?: CaseStatus | undefined;
      text?: string | undefined;
      limit: number;
      offset: number;
    },
    viewer: Viewer,
  ): { cases: Case[]; total: number } {
    const scope = caseScope(viewer);
    if (scope === null) return { cases: [], total: 0 };
    const found = this.deps.catalogue.cases.list({ ...query, officer: scope.officer });
    const policy = this.deps.catalogue.settings.policy();
    return { total: found.total, cases: found.cases.map((c) => this.view(c, policy)) };
  }

  /** A case with its acts and history; one the viewer may not open answers as if absent. */
  get(number: string, viewer: Viewer): { case: Case; acts: CaseAct[]; history: AuditEntry[] } {
    const kase = this.require(number);
    if (!mayOpenCase(viewer, () => this.involves(kase, viewer))) {
      throw new RpcError('NOT_FOUND', `No case ${kase.number}.`);
    }
    return {
      case: this.view(kase),
      acts: this.acts(kase.number),
      history: this.deps.audit.listBySubject(`case:${kase.number}`),
    };
  }

  /** The open cases the label form offers, and the case the viewer filed under last. */
  recent(viewer: Viewer): { cases: Case[]; lastCaseNumber: string | null } {
    const { cases } = this.list({ status: 'open', limit: 10, offset: 0 }, viewer);
    return { cases, lastCaseNumber: this.deps.catalogue.labels.lastCaseBy(viewer.badge) };
  }

  acts(number: string): CaseAct[] {
    const acts = this.deps.catalogue.cases.acts(number);
    const missing = new Set(actsMissingFootage(acts));
    return acts.map((a) => ({
      act: a.act,
      clipIds: a.clipIds,
      notRecorded: a.notRecorded,
      missing: missing.has(a.act),
    }));
  }

  create(input: NewCaseInput, caller: User): Case {
    return this.deps.catalogue.write((tx) => {
      const { cases, users, settings } = this.deps.catalogue;
      const { audit } = this.deps;
      const number = input.number.trim();
      const format = settings.get('caseNumberFormat');
      const problem = caseNumberProblem(number, format);
      if (problem !== null) {
        throw new RpcError('BAD_REQUEST', `${problem}.`, {
          field: 'number',
          number,
          example: format.example,
        });
      }
      if (cases.get(number)) throw new RpcError('ALREADY_EXISTS', `Case ${number} already exists.`);
      let handling = input.handlingOfficer ?? ownLabelTarget(caller);
      if (handling !== undefined && !mayOpenCaseFor(caller, handling)) {
        throw new RpcError('FORBIDDEN', 'An officer opens cases they handle themselves.');
      }
      if (handling !== undefined) {
        const user = users.get(handling);
        if (!user) throw new RpcError('NOT_FOUND', `No user with badge ${handling}.`);
        handling = user.badge;
      }
      const at = this.nowIso();
      // Bounded by the facts (D-RETAIN), in the transaction that writes it.
      const openedAt = input.openedAt ? new Date(input.openedAt).toISOString() : at;
      if (input.openedAt) {
        const years = settings.get('retentionCaseFileYears');
        const problem = openingProblem(openedAt, at, years);
        if (problem !== null) this.refuseTime('openedAt', problem);
      }
      const created = tx.cases.create(
        {
          number,
          kind: input.kind,
          title: input.title,
          openedAt,
          handlingOfficer: handling ?? null,
          emergency: input.emergency,
        },
        caller.badge,
        at,
      );
      for (const act of input.acts) tx.cases.addAct(number, act);
      audit.append(tx, {
        actor: caller.badge,
        action: 'case.created',
        subject: `case:${number}`,
        details: {
          kind: input.kind,
          title: input.title,
          openedAt,
          // A time a person typed, rather than the station's clock: what a supervisor checks.
          enteredTime: input.openedAt !== undefined,
          handlingOfficer: handling ?? null,
          emergency: input.emergency,
          acts: input.acts,
        },
      });
      return this.view(created);
    });
  }

  /**
   * D-ARCHIVE: the archive-by date is the close plus the unit's days. The close is bounded by the
   * case's opening and its footage, read in the transaction that writes the close: a clip filed
   * at the same moment is either seen here or refused there (filedAfterCloseProblem).
   */
  close(number: string, closedAt: string | undefined, caller: User): Case {
    return this.deps.catalogue.write((tx) => {
      const kase = this.requireManaged(number, caller);
      if (kase.status !== 'open')
        throw new RpcError('CONFLICT', `Case ${kase.number} is already closed.`);
      const now = this.nowIso();
      const at = closedAt ? new Date(closedAt).toISOString() : now;
      const problem = closingProblem(at, {
        now,
        openedAt: kase.openedAt,
        lastFootage: this.deps.catalogue.cases.lastFootage(kase.number),
      });
      if (problem !== null) this.refuseTime('closedAt', problem);
      const days = this.deps.catalogue.settings.get('archiveDays');
      const archiveBy = archiveByDate(at, days)!;
      tx.cases.close(kase.number, at, archiveBy);
      this.deps.audit.append(tx, {
        actor: caller.badge,
        action: 'case.closed',
        subject: `case:${kase.number}`,
        details: {
          before: { status: kase.status, closedAt: kase.closedAt, archiveBy: kase.archiveBy },
          after: { status: 'closed', closedAt: at, archiveBy },
          archiveDays: days,
          enteredTime: closedAt !== undefined,
        },
      });
      return this.view(this.require(kase.number));
    });
  }

  /** D-LATE-START: a custodian records the approval an emergency case got afterwards. */
  approve(number: string, approvedAt: string | undefined, caller: User): Case {
    return this.deps.catalogue.write((tx) => {
      const kase = this.require(number);
      if (!kase.emergency) {
        throw new RpcError('CONFLICT', `Case ${kase.number} was not opened in an emergency.`);
      }
      if (kase.approvedAt !== null) {
        throw new RpcError('CONFLICT', `Case ${kase.number} was approved on ${kase.approvedAt}.`);
      }
      const at = approvedAt ? this.notLater(approvedAt, 'approved') : this.nowIso();
      if (Date.parse(at) < Date.parse(kase.openedAt)) {
        throw new RpcError('BAD_REQUEST', 'A case cannot be approved before it was opened.');
      }
      tx.cases.approve(kase.number, at);
      this.deps.audit.append(tx, {
        actor: caller.badge,
        action: 'case.approved',
        subject: `case:${kase.number}`,
        details: {
          before: { approvedAt: kase.approvedAt },
          after: { approvedAt: at },
          enteredTime: approvedAt !== undefined,
        },
      });
      return this.view(this.require(kase.number));
    });
  }

  /** D-ARCHIVE: the custodian filed the case's records into the archive. */
  archive(number: string, caller: User): Case {
    return this.deps.catalogue.write((tx) => {
      const kase = this.require(number);
      if (kase.status !== 'closed') {
        throw new RpcError(
          'CONFLICT',
          `Case ${kase.number} is ${kase.status}: only a closed case is archived.`,
        );
      }
      const missing = actsMissingFootage(this.deps.catalogue.cases.acts(kase.number));
      if (missing.length > 0) {
        throw new RpcError(
          'CONFLICT',
          `Case ${kase.number} lacks footage or a reason for: ${missing.join(', ')} (D-AV-REQUIRED).`,
          { missing },
        );
      }
      const at = this.nowIso();
      tx.cases.markArchived(kase.number, at);
      this.deps.audit.append(tx, {
        actor: caller.badge,
        action: 'case.archived',
        subject: `case:${kase.number}`,
        details: { archivedAt: at, archiveBy: kase.archiveBy },
      });
      return this.view(this.require(kase.number));
    });
  }

  /** D-AV-REQUIRED: link footage to a procedural act, or record why it was not recorded. */
  setAct(change: ActChange, caller: User): CaseAct[] {
    return this.deps.catalogue.write((tx) => {
      const { cases, labels } = this.deps.catalogue;
      const { audit } = this.deps;
      const kase = this.requireManaged(change.number, caller);
      if (kase.status === 'archived') {
        throw new RpcError('CONFLICT', `Case ${kase.number} is archived: its record is final.`);
      }
      const filed = labels.forClips([...change.link]);
      const foreign = change.link.filter((id) => filed.get(id)?.caseNumber !== kase.number);
      if (foreign.length > 0) {
        throw new RpcError(
          'CONFLICT',
          `Clip ${foreign.join(', ')} is not filed under case ${kase.number}: label it first.`,
          { clipIds: foreign },
        );
      }
      const actId = tx.cases.addAct(kase.number, change.act);
      if (change.remove) {
        const current = cases.acts(kase.number).find((a) => a.id === actId)!;
        const unlinking = new Set(change.unlink);
        if (current.clipIds.some((id) => !unlinking.has(id))) {
          throw new RpcError('CONFLICT', 'Unlink its footage before taking the act off the case.');
        }
        for (const id of change.unlink) tx.cases.unlinkClip(actId, id);
        tx.cases.removeAct(actId);
      } else {
        for (const id of change.link) tx.cases.linkClip(actId, id);
        for (const id of change.unlink) tx.cases.unlinkClip(actId, id);
        if (change.notRecorded !== undefined) tx.cases.setNotRecorded(actId, change.notRecorded);
      }
      audit.append(tx, {
        actor: caller.badge,
        action: 'case.act.changed',
        subject: `case:${kase.number}`,
        details: {
          act: change.act,
          linked: change.link,
          unlinked: change.unlink,
          notRecorded: change.notRecorded,
          removed: change.remove,
        },
      });
      return this.acts(kase.number);
    });
  }
}
