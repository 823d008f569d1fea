import { describe, expect, it } from 'vitest';
import { type Label, labelPatchSchema } from '../../src-main/contract';
import {
  EMPTY_LABEL_FORM,
  formToPatch,
  initialLabelForm,
  labelToForm,
  requiredFieldsFrom,
  type LabelFormValues,
} from '../../src-renderer/shared/filing/labelPatch';

const form = (over: Partial<LabelFormValues>): LabelFormValues => ({
  ...EMPTY_LABEL_FORM,
  ...over,
});

describe('label form → clips.label patch (D-LABEL: fields left out keep their value)', () => {
  it('sets only the case when only the case is given, so fifty clips keep their notes', () => {
    const patch = formToPatch(form({ caseNumber: ' 辽执罚〔2024〕17号 ' }));
    expect(patch).toEqual({ caseNumber: '辽执罚〔2024〕17号' });
    expect(labelPatchSchema.safeParse(patch).success).toBe(true);
  });

  it('files daily enforcement without a case under its matter', () => {
    const patch = formToPatch(form({ noCase: true, caseNumber: 'ignored', matter: ' 市场巡查 ' }));
    expect(patch).toEqual({ caseNumber: null, matter: '市场巡查' });
  });

  it('passes what the record shows (D-CONTENT), trimmed and without duplicates', () => {
    const patch = formToPatch(
      form({
        caseNumber: 'C-1',
        kind: 'penalty',
        stage: 'investigation',
        place: ' 中山路 8 号 ',
        parties: ['张三', ' 张三 ', '', '某某公司'],
        officersPresent: ['J0123', 'J0124', 'J0123'],
        confidentiality: 'privacy',
        notes: '  现场检查  ',
        longTermReason: 'dispute',
        longTermText: '',
      }),
    );
    expect(patch).toEqual({
      caseNumber: 'C-1',
      kind: 'penalty',
      stage: 'investigation',
      place: '中山路 8 号',
      parties: ['张三', '某某公司'],
      officersPresent: ['J0123', 'J0124'],
      confidentiality: 'privacy',
      notes: '现场检查',
      longTerm: { reason: 'dispute', text: null },
    });
    expect(labelPatchSchema.safeParse(patch).success).toBe(true);
  });

  it('clears a field only when the user touched it (cleared it on purpose)', () => {
    const values = form({ caseNumber: 'C-1' });
    const patch = formToPatch(
      values,
      new Set(['place', 'notes', 'parties', 'kind', 'confidentiality', 'longTermReason']),
    );
    expect(patch).toEqual({
      caseNumber: 'C-1',
      kind: null,
      place: null,
      parties: [],
      confidentiality: 'none',
      notes: null,
      longTerm: null,
    });
    expect(labelPatchSchema.safeParse(patch).success).toBe(true);
  });

  it('prefills the last case and shows a clip label as it stands', () => {
    expect(initialLabelForm('C-9').caseNumber).toBe('C-9');
    expect(initialLabelForm(null).caseNumber).toBe('');
    const label: Label = {
      caseNumber: null,
      matter: '夜市巡查',
      kind: null,
      stage: 'execution',
      place: null,
      parties: ['李四'],
      partyIds: [],
      officersPresent: [],
      confidentiality: 'state',
      notes: null,
      longTerm: { reason: 'incident', text: '突发' },
      updatedBy: 'J0123',
      updatedAt: '2024-01-01T00:00:00.000Z',
    };
    const values = labelToForm(label);
    expect(values).toMatchObject({
      noCase: true,
      matter: '夜市巡查',
      kind: undefined,
      stage: 'execution',
      confidentiality: 'state',
      longTermReason: 'incident',
      longTermText: '突发',
    });
    // Unchanged, it writes the same label back.
    expect(formToPatch(values)).toEqual({
      caseNumber: null,
      matter: '夜市巡查',
      stage: 'execution',
      parties: ['李四'],
      confidentiality: 'state',
      longTerm: { reason: 'incident', text: '突发' },
    });
  });

  it('marks the unit’s required fields: from the policy, or from what clips still lack', () => {
    expect(requiredFieldsFrom(['place', 'kind'], [])).toEqual(['kind', 'place']);
    expect(requiredFieldsFrom([], [['case', 'place']])).toEqual([]);
    expect(
      requiredFieldsFrom(null, [
        ['case', 'stage'],
        ['case', 'place', 'producer'],
      ]),
    ).toEqual(['stage', 'place']);
  });
});
