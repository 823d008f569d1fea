import type { StationServices } from '../station-services';
import { requireCaller, type HandlersOf } from './handler-types';

type CaseMethod =
  | 'cases.list'
  | 'cases.get'
  | 'cases.create'
  | 'cases.close'
  | 'cases.approve'
  | 'cases.archive'
  | 'cases.setAct'
  | 'filing.recentCases';

/** Cases and their procedural acts. */
export function caseHandlers(services: StationServices): HandlersOf<CaseMethod> {
  const { cases } = services;
  return {
    'cases.list': (params, context) => cases.list(params, requireCaller(context).user),
    'cases.get': (params, context) => cases.get(params.number, requireCaller(context).user),
    'cases.create': (params, context) => ({
      case: cases.create(params, requireCaller(context).user),
    }),
    'cases.close': (params, context) => ({
      case: cases.close(params.number, params.closedAt, requireCaller(context).user),
    }),
    'cases.approve': (params, context) => ({
      case: cases.approve(params.number, params.approvedAt, requireCaller(context).user),
    }),
    'cases.archive': (params, context) => ({
      case: cases.archive(params.number, requireCaller(context).user),
    }),
    'cases.setAct': (params, context) => ({
      acts: cases.setAct(params, requireCaller(context).user),
    }),
    'filing.recentCases': (_params, context) => cases.recent(requireCaller(context).user),
  };
}
