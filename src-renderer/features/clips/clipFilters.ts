import type { ClipSearch, EnforcementKind, Stage } from '../../../src-main/contract';

/** The Clips screen's filter bar as typed (empty text and unset choices mean "any"). */
export interface ClipFilterValues {
  officerBadge?: string;
  recorderSerial?: string;
  /** ISO times, from the range picker. */
  from?: string | null;
  to?: string | null;
  caseNumber?: string;
  kind?: EnforcementKind;
  stage?: Stage;
  place?: string;
  labelled?: 'yes' | 'no';
  lateCustody?: boolean;
  hasFindings?: boolean;
  retentionDue?: boolean;
  text?: string;
}

export type ClipSort = { sort: 'recorded' | 'custody'; order: 'asc' | 'desc' };

const text = (value: string | undefined) => {
  const trimmed = (value ?? '').trim();
  return trimmed === '' ? undefined : trimmed;
};

/** The `clips.search` call for the filters, the sort and the page (1-based). */
export function clipSearchFor(
  filters: ClipFilterValues,
  sort: ClipSort,
  page: number,
  pageSize: number,
): ClipSearch {
  const search: ClipSearch = {
    sort: sort.sort,
    order: sort.order,
    limit: pageSize,
    offset: Math.max(0, page - 1) * pageSize,
  };
  const put = <K extends keyof ClipSearch>(key: K, value: ClipSearch[K] | undefined) => {
    if (value !== undefined) search[key] = value;
  };
  put('officerBadge', text(filters.officerBadge));
  put('recorderSerial', text(filters.recorderSerial));
  put('from', filters.from ?? undefined);
  put('to', filters.to ?? undefined);
  put('caseNumber', text(filters.caseNumber));
  put('kind', filters.kind);
  put('stage', filters.stage);
  put('place', text(filters.place));
  put(
    'labelled',
    filters.labelled === 'yes' ? true : filters.labelled === 'no' ? false : undefined,
  );
  put('lateCustody', filters.lateCustody === true ? true : undefined);
  put('hasFindings', filters.hasFindings === true ? true : undefined);
  put('retentionDue', filters.retentionDue === true ? true : undefined);
  put('text', text(filters.text));
  return search;
}
