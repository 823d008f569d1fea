import {
  type Confidentiality,
  type EnforcementKind,
  type Label,
  type LabelField,
  type LabelPatch,
  type LongTermReason,
  OPTIONAL_LABEL_FIELDS,
  type OptionalLabelField,
  type Stage,
} from '../../../src-main/contract';

/** The label form as the officer fills it in (antd form values). */
export interface LabelFormValues {
  /** Daily enforcement without a case: then `matter` says what it was. */
  noCase: boolean;
  caseNumber: string;
  matter: string;
  /** Selects hold undefined while empty (so they show their placeholder). */
  kind: EnforcementKind | undefined;
  stage: Stage | undefined;
  place: string;
  parties: string[];
  officersPresent: string[];
  confidentiality: Confidentiality;
  notes: string;
  longTermReason: LongTermReason | undefined;
  longTermText: string;
}

export type LabelFormField = keyof LabelFormValues;

export const EMPTY_LABEL_FORM: LabelFormValues = {
  noCase: false,
  caseNumber: '',
  matter: '',
  kind: undefined,
  stage: undefined,
  place: '',
  parties: [],
  officersPresent: [],
  confidentiality: 'none',
  notes: '',
  longTermReason: undefined,
  longTermText: '',
};

/** The form for a fresh bulk label: the last case the officer filed into, prefilled. */
export function initialLabelForm(lastCaseNumber: string | null): LabelFormValues {
  return { ...EMPTY_LABEL_FORM, caseNumber: lastCaseNumber ?? '' };
}

/** The form showing one clip's label as it stands (a custodian relabelling it). */
export function labelToForm(label: Label | null): LabelFormValues {
  if (label === null) return { ...EMPTY_LABEL_FORM };
  return {
    noCase: label.caseNumber === null,
    caseNumber: label.caseNumber ?? '',
    matter: label.matter ?? '',
    kind: label.kind ?? undefined,
    stage: label.stage ?? undefined,
    place: label.place ?? '',
    parties: [...label.parties],
    officersPresent: [...label.officersPresent],
    confidentiality: label.confidentiality,
    notes: label.notes ?? '',
    longTermReason: label.longTerm?.reason ?? undefined,
    longTermText: label.longTerm?.text ?? '',
  };
}

function cleanList(values: readonly string[] | undefined): string[] {
  const out: string[] = [];
  for (const value of values ?? []) {
    const text = value.trim();
    if (text !== '' && !out.includes(text)) out.push(text);
  }
  return out;
}

const nullIfBlank = (text: string | undefined): string | null => {
  const trimmed = (text ?? '').trim();
  return trimmed === '' ? null : trimmed;
};

/**
 * The change one "apply" makes (labelPatchSchema: fields left out keep their value). A field
 * goes into the patch when it has a value, or when the user touched it (cleared it on purpose);
 * so applying "case 2024-17" to fifty clips leaves their notes alone. The case is always set:
 * a number, or none with the matter of daily enforcement.
 */
export function formToPatch(
  values: LabelFormValues,
  touched: ReadonlySet<LabelFormField> = new Set(),
): LabelPatch {
  const patch: LabelPatch = {};
  const give = (field: LabelFormField, hasValue: boolean) => hasValue || touched.has(field);

  if (values.noCase === true) {
    patch.caseNumber = null;
    patch.matter = nullIfBlank(values.matter);
  } else {
    patch.caseNumber = (values.caseNumber ?? '').trim();
    if (give('matter', nullIfBlank(values.matter) !== null)) {
      patch.matter = nullIfBlank(values.matter);
    }
  }
  if (give('kind', values.kind != null)) patch.kind = values.kind ?? null;
  if (give('stage', values.stage != null)) patch.stage = values.stage ?? null;
  if (give('place', nullIfBlank(values.place) !== null)) patch.place = nullIfBlank(values.place);
  const parties = cleanList(values.parties);
  if (give('parties', parties.length > 0)) patch.parties = parties;
  const officers = cleanList(values.officersPresent);
  if (give('officersPresent', officers.length > 0)) patch.officersPresent = officers;
  const level = values.confidentiality ?? 'none';
  if (give('confidentiality', level !== 'none')) {
    patch.confidentiality = level;
  }
  if (give('notes', nullIfBlank(values.notes) !== null)) patch.notes = nullIfBlank(values.notes);
  if (values.longTermReason != null) {
    patch.longTerm = { reason: values.longTermReason, text: nullIfBlank(values.longTermText) };
  } else if (touched.has('longTermReason')) {
    patch.longTerm = null;
  }
  return patch;
}

/** The optional fields a form field stands for (`officersPresent` is both). */
const FORM_FIELD_OF: Record<OptionalLabelField, LabelFormField> = {
  kind: 'kind',
  stage: 'stage',
  place: 'place',
  parties: 'parties',
  officersPresent: 'officersPresent',
  notes: 'notes',
};

export function formFieldOf(field: OptionalLabelField): LabelFormField {
  return FORM_FIELD_OF[field];
}

/**
 * The unit's required label fields. Custodians and supervisors read them from the policy;
 * officers may not read the policy, so for them they are what the station says their unlabelled
 * clips still lack (a clip with no label lacks every required field).
 */
export function requiredFieldsFrom(
  policyFields: readonly OptionalLabelField[] | null,
  missingLists: readonly (readonly LabelField[])[],
): OptionalLabelField[] {
  if (policyFields !== null) return OPTIONAL_LABEL_FIELDS.filter((f) => policyFields.includes(f));
  const seen = new Set<string>(missingLists.flat());
  return OPTIONAL_LABEL_FIELDS.filter((f) => seen.has(f));
}
