import type { TFunction } from 'i18next';
import {
  ENFORCEMENT_KINDS,
  type EnforcementKind,
  STAGES,
  type Stage,
} from '../../../src-main/contract';

/** The enforcement kinds as choices, in the contract's order, named in the user's language. */
export function kindOptions(t: TFunction): { value: EnforcementKind; label: string }[] {
  return ENFORCEMENT_KINDS.map((kind) => ({ value: kind, label: t(`filing.kinds.${kind}`) }));
}

/** The stages of a matter as choices, in the contract's order, named in the user's language. */
export function stageOptions(t: TFunction): { value: Stage; label: string }[] {
  return STAGES.map((stage) => ({ value: stage, label: t(`filing.stages.${stage}`) }));
}
