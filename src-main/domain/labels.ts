import type {
  Confidentiality,
  EnforcementKind,
  LabelField,
  OptionalLabelField,
  Stage,
} from '../contract';

/**
 * Rule D-LABEL: stored footage is labelled with the case number, the production method, the
 * production time and the producer. Rule D-CONTENT: a record shows time, place, matter, parties,
 * the officers and the process. The station fills what it knows itself (production method: the
 * recorder's kind; time: the recording's start; producer: the recording officer); the officer
 * gives the rest.
 */
export interface ClipLabel {
  /** The case number, or null for daily enforcement with no case (then `matter` says what). */
  caseNumber: string | null;
  matter: string | null;
  kind: EnforcementKind | null;
  stage: Stage | null;
  place: string | null;
  /** Names of the parties (their ID numbers, where given, are personal data kept apart). */
  parties: readonly string[];
  /** Badges of the officers present. */
  officersPresent: readonly string[];
  confidentiality: Confidentiality;
  notes: string | null;
}

/** What the station itself knows of a clip (D-LABEL's production facts). */
export interface ProductionFacts {
  /** The recorder's kind, e.g. body-camera. */
  productionMethod: string | null;
  productionTime: string | null;
  /** The recording officer's badge. */
  producer: string | null;
}

export interface LabelCompleteness {
  /** D-LABEL holds and every field the unit requires is given: the clip counts as filed. */
  labelled: boolean;
  missing: LabelField[];
}

const blank = (text: string | null) => text === null || text.trim() === '';

/**
 * D-LABEL: whether a clip counts as labelled. The D-LABEL fields are always required: a case
 * number, or for daily enforcement without a case the matter; and the production method, time
 * and producer. `required` adds the unit's own (D-CONTENT) fields. A clip with no label at all
 * misses the case.
 */
export function labelCompleteness(
  label: ClipLabel | null,
  facts: ProductionFacts,
  required: readonly OptionalLabelField[] = [],
): LabelCompleteness {
  const missing: LabelField[] = [];
  if (label === null) missing.push('case');
  else if (blank(label.caseNumber) && blank(label.matter)) {
    // Either names what the clip is for: the case, or the matter of daily enforcement.
    missing.push('case');
  }
  if (blank(facts.productionMethod)) missing.push('productionMethod');
  if (blank(facts.productionTime)) missing.push('productionTime');
  if (blank(facts.producer)) missing.push('producer');
  for (const field of required) {
    if (label === null) {
      missing.push(field);
      continue;
    }
    const value = label[field];
    const absent = Array.isArray(value)
      ? value.length === 0
      : value === null || (typeof value === 'string' && value.trim() === '');
    if (absent) missing.push(field);
  }
  return { labelled: missing.length === 0, missing };
}
