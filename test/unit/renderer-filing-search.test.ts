import { describe, expect, it } from 'vitest';
import { clipSearchSchema } from '../../src-main/contract';
import { clipSearchFor } from '../../src-renderer/features/clips/clipFilters';
import { lastMonth, thisMonth } from '../../src-renderer/features/reports/period';

describe('Clips screen filters → clips.search', () => {
  it('sends only the filters given, trimmed, with the sort and the page', () => {
    const search = clipSearchFor(
      {
        officerBadge: ' J0123 ',
        recorderSerial: '',
        caseNumber: 'C-1',
        labelled: 'no',
        lateCustody: true,
        hasFindings: false,
        text: '  ',
        from: '2024-05-01T00:00:00.000Z',
        to: null,
      },
      { sort: 'custody', order: 'asc' },
      3,
      50,
    );
    expect(search).toEqual({
      officerBadge: 'J0123',
      caseNumber: 'C-1',
      labelled: false,
      lateCustody: true,
      from: '2024-05-01T00:00:00.000Z',
      sort: 'custody',
      order: 'asc',
      limit: 50,
      offset: 100,
    });
    expect(clipSearchSchema.safeParse(search).success).toBe(true);
  });

  it('asks for everything, newest first, with no filters', () => {
    const search = clipSearchFor({}, { sort: 'recorded', order: 'desc' }, 1, 20);
    expect(search).toEqual({ sort: 'recorded', order: 'desc', limit: 20, offset: 0 });
    expect(clipSearchFor({ labelled: 'yes' }, { sort: 'recorded', order: 'desc' }, 0, 20)).toEqual({
      labelled: true,
      sort: 'recorded',
      order: 'desc',
      limit: 20,
      offset: 0,
    });
  });
});

describe('Reports period', () => {
  it('defaults to the whole of last month, across a year end too', () => {
    expect(lastMonth(new Date(2024, 2, 15))).toEqual({ from: '2024-02-01', to: '2024-02-29' });
    expect(lastMonth(new Date(2025, 0, 3))).toEqual({ from: '2024-12-01', to: '2024-12-31' });
    expect(thisMonth(new Date(2024, 6, 9))).toEqual({ from: '2024-07-01', to: '2024-07-09' });
  });
});
