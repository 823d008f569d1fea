import type { Catalogue } from '../catalogue/catalogue';
import { RpcError, type PolicyChange, type UnitPolicyView, type User } from '../contract';
import type { AuditLog } from '../custody/audit-log';
import { caseNumberPatternRisk, policyValueProblem } from '../domain';
import type { LabelService } from './label-service';

/** What a client can act on in a refused change, beyond the sentence. */
function problemDetails(change: PolicyChange): Record<string, unknown> {
  if (change.key !== 'caseNumberFormat') return {};
  const risk = caseNumberPatternRisk(change.value.pattern);
  return risk === null ? {} : { problem: 'pattern-backtracks', fragment: risk.fragment };
}

/** What the audit log keeps of a policy change: never the recorder password itself. */
function auditedValue(change: PolicyChange): unknown {
  if (change.key === 'ambaPassword') return change.value === null ? 'cleared' : 'set';
  return change.value;
}

/**
 * The unit's policy (D-CUSTODIAN: custodians set it, everyone who files reads what they need).
 * A change is audited with the clips it decided again; what else must follow it (the card
 * reader, recorders waiting for a password) listens.
 */
export class UnitPolicyService {
  private readonly listeners = new Set<(change: PolicyChange) => void | Promise<void>>();

  constructor(
    private readonly deps: { catalogue: Catalogue; audit: AuditLog; labels: LabelService },
  ) {}

  /** The policy in force, and the stored values set aside in favour of their defaults. */
  view(): UnitPolicyView {
    const { settings } = this.deps.catalogue;
    return { ...settings.publicPolicy(), refused: settings.problems() };
  }

  /** What the label and case forms need of the policy. */
  forFiling() {
    const { labelRequiredFields, caseNumberFormat, lateApprovalHours, archiveDays } =
      this.deps.catalogue.settings.policy();
    return { labelRequiredFields, caseNumberFormat, lateApprovalHours, archiveDays };
  }

  /** Runs `listener` after each change has committed. */
  onChanged(listener: (change: PolicyChange) => void | Promise<void>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async set(change: PolicyChange, caller: User): Promise<UnitPolicyView> {
    const problem = policyValueProblem(change.key, change.value);
    if (problem !== null) {
      throw new RpcError('BAD_REQUEST', `${problem}.`, {
        key: change.key,
        ...problemDetails(change),
      });
    }
    this.deps.catalogue.write((tx) => {
      tx.settings.set(change.key, change.value as never);
      // A change of the required fields decides "labelled" again for every clip, in the same
      // transaction: searches, the report and "Done" at the dock agree with the rule at once.
      const relabelled =
        change.key === 'labelRequiredFields' ? this.deps.labels.relabelAll(tx) : undefined;
      this.deps.audit.append(tx, {
        actor: caller.badge,
        action: 'settings.changed',
        subject: `policy:${change.key}`,
        details: {
          key: change.key,
          value: auditedValue(change),
          ...(relabelled === undefined ? {} : { clipsRelabelled: relabelled }),
        },
      });
    });
    for (const listener of this.listeners) await listener(change);
    return this.view();
  }
}
