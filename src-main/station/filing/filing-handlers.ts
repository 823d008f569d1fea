import { ClipSearch } from '../../catalogue/clip-search';
import type { ClipRecord } from '../../catalogue/clips';
import { RpcError, type FiledClip, type MethodName, type User } from '../../contract';
import { mayPlay, mayView, type Viewer } from '../../domain';
import { complianceCsv, compliancePdf } from '../../reports';
import { findingView } from '../dock/docking-views';
import { requireCaller, type Handler } from '../handler-types';
import type { StationServices } from '../services';
import { buildComplianceReport } from './compliance-report';
import { filedClipView, loadFiling } from './filing-views';

type FilingMethod =
  | 'clips.search'
  | 'clips.get'
  | 'clips.label'
  | 'clips.custodyException'
  | 'clips.play'
  | 'dock.finish'
  | 'cases.list'
  | 'cases.get'
  | 'cases.create'
  | 'cases.close'
  | 'cases.approve'
  | 'cases.archive'
  | 'cases.setAct'
  | 'report.compliance'
  | 'report.export'
  | 'filing.policy'
  | 'filing.recentCases';

export type FilingHandlers = { [M in FilingMethod & MethodName]: Handler<M> };

const viewerOf = (user: User): Viewer => ({ badge: user.badge, role: user.role });

/** Labels, cases and compliance (issue 4's methods). */
export function createFilingHandlers(services: StationServices): FilingHandlers {
  const { filing, clips, users, settings, audit } = services;
  const search = new ClipSearch(services.db);
  const nowIso = () => services.now().toISOString();

  const filed = (records: readonly ClipRecord[], user: User): FiledClip[] => {
    const policy = settings.policy();
    const now = nowIso();
    const f = filing.facts();
    return loadFiling(records, filing.labelRepo, filing.caseRepo).map((input) =>
      filedClipView(input, viewerOf(user), f, policy, now),
    );
  };

  /** The clip as D-CONFIDENTIAL sees it: who recorded it and how it is marked now. */
  const guardOf = (clip: ClipRecord) => ({
    officerBadge: clip.officerBadge,
    confidentiality: filing.labelRepo.confidentialityOf(clip.id),
  });

  /** D-NO-LEAK, D-CONFIDENTIAL: a clip the caller may not see answers as if it did not exist. */
  const visibleClip = (id: number, user: User): ClipRecord => {
    const clip = clips.get(id);
    if (!clip || !mayView(viewerOf(user), guardOf(clip))) {
      throw new RpcError('NOT_FOUND', `No clip ${id}.`);
    }
    return clip;
  };

  const canonicalBadge = (badge: string) => users.get(badge)?.badge ?? badge;

  return {
    'clips.search': (params, context) => {
      const user = requireCaller(context).user;
      const officer = user.role === 'officer';
      const { officerBadge, ...rest } = params;
      const found = search.search(
        {
          ...rest,
          // Officers see their own clips only (D-NO-LEAK), supervisors no confidential ones.
          officerBadge: officer ? user.badge : officerBadge && canonicalBadge(officerBadge),
          onlyUnconfidential: user.role === 'supervisor',
        },
        {
          now: nowIso(),
          dailyYears: settings.get('retentionDailyYears'),
          caseFileYears: settings.get('retentionCaseFileYears'),
        },
      );
      return { total: found.total, clips: filed(clips.getMany(found.clipIds), user) };
    },

    'clips.get': (params, context) => {
      const user = requireCaller(context).user;
      const clip = visibleClip(params.id, user);
      const findings = services.dockingRepo.findingsOfClip(clip.id).map(findingView);
      return { clip: filed([clip], user)[0]!, findings };
    },

    'clips.label': (params, context) =>
      filing.labels.label(params.target, params.set, requireCaller(context).user),

    'clips.custodyException': (params, context) => ({
      clips: filing.labels.recordCustodyException(
        params.clipIds,
        params.exception,
        requireCaller(context).user,
      ),
    }),

    'clips.play': (params, context) => {
      const caller = requireCaller(context);
      const clip = visibleClip(params.id, caller.user);
      const guard = guardOf(clip);
      if (!mayPlay(viewerOf(caller.user), guard)) {
        throw new RpcError(
          'FORBIDDEN',
          'This clip involves state secrets: only a custodian may play it (D-CONFIDENTIAL).',
        );
      }
      const issued = filing.playback.issue(caller, clip, (now) =>
        mayPlay(viewerOf(now.user), guardOf(clip)),
      );
      audit.append({
        actor: caller.user.badge,
        action: 'clip.played',
        subject: `clip:${clip.id}`,
        details: {
          sha256: clip.sha256,
          confidentiality: guard.confidentiality,
          until: issued.expiresAt,
        },
      });
      return issued;
    },

    'dock.finish': (params, context) =>
      filing.labels.finishDocking(
        params.dockingId,
        params.deferReason,
        requireCaller(context).user,
      ),

    'cases.list': (params, context) => {
      const user = requireCaller(context).user;
      const found = filing.caseRepo.list({
        status: params.status,
        text: params.text,
        officer: user.role === 'officer' ? user.badge : undefined,
        limit: params.limit,
        offset: params.offset,
      });
      return { total: found.total, cases: found.cases.map((c) => filing.cases.view(c)) };
    },

    'cases.get': (params, context) => {
      const user = requireCaller(context).user;
      const kase = filing.cases.require(params.number);
      // An officer sees the cases they handle, opened or filed footage under (D-NO-LEAK).
      if (user.role === 'officer' && !filing.caseRepo.involves(kase.number, user.badge)) {
        throw new RpcError('NOT_FOUND', `No case ${kase.number}.`);
      }
      return {
        case: filing.cases.view(kase),
        acts: filing.cases.acts(kase.number),
        history: audit.listBySubject(`case:${kase.number}`),
      };
    },

    'cases.create': (params, context) => ({
      case: filing.cases.create(params, requireCaller(context).user),
    }),

    'cases.close': (params, context) => ({
      case: filing.cases.close(params.number, params.closedAt, requireCaller(context).user),
    }),

    'cases.approve': (params, context) => ({
      case: filing.cases.approve(params.number, params.approvedAt, requireCaller(context).user),
    }),

    'cases.archive': (params, context) => ({
      case: filing.cases.archive(params.number, requireCaller(context).user),
    }),

    'cases.setAct': (params, context) => ({
      acts: filing.cases.setAct(params, requireCaller(context).user),
    }),

    'report.compliance': (params, context) => {
      const by = requireCaller(context).user.badge;
      const report = buildComplianceReport(services.db, params, {
        now: services.now(),
        by,
        archiveDays: settings.get('archiveDays'),
      });
      audit.append({
        actor: by,
        action: 'report.generated',
        subject: `report:compliance:${params.from}..${params.to}`,
        details: { from: params.from, to: params.to },
      });
      return report;
    },

    'report.export': async (params, context) => {
      const by = requireCaller(context).user.badge;
      const report = buildComplianceReport(services.db, params, {
        now: services.now(),
        by,
        archiveDays: settings.get('archiveDays'),
      });
      const bytes =
        params.format === 'csv'
          ? complianceCsv(report, params.locale)
          : await compliancePdf(report, params.locale).catch((error: unknown) => {
              throw new RpcError('CONFLICT', (error as Error).message);
            });
      audit.append({
        actor: by,
        action: 'report.exported',
        subject: `report:compliance:${params.from}..${params.to}`,
        details: { from: params.from, to: params.to, format: params.format, bytes: bytes.length },
      });
      return {
        fileName: `compliance-${params.from}_${params.to}.${params.format}`,
        mime: params.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/pdf',
        base64: bytes.toString('base64'),
      };
    },

    'filing.policy': () => ({
      labelRequiredFields: settings.get('labelRequiredFields'),
      caseNumberFormat: settings.get('caseNumberFormat'),
      lateApprovalHours: settings.get('lateApprovalHours'),
      archiveDays: settings.get('archiveDays'),
    }),

    'filing.recentCases': (_params, context) => {
      const user = requireCaller(context).user;
      const found = filing.caseRepo.list({
        status: 'open',
        officer: user.role === 'officer' ? user.badge : undefined,
        limit: 10,
        offset: 0,
      });
      return {
        cases: found.cases.map((c) => filing.cases.view(c)),
        lastCaseNumber: filing.labelRepo.lastCaseBy(user.badge),
      };
    },
  };
}
