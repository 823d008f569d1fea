import type { Catalogue } from '../catalogue/catalogue';
import type { FilingFacts } from './clip-views';

/**
 * What a label is measured against as of now: D-LABEL's production method (the kind of the
 * recorder that made the clip) and the fields the unit requires. Read afresh for each request,
 * so a change of policy or registration applies at once.
 */
export function filingFacts(
  catalogue: Catalogue,
  /** The recorder models this station knows, each with the kind of device it is. */
  profiles: readonly { id: string; deviceKind: string }[],
): () => FilingFacts {
  return () => {
    const kinds = new Map<string, string | null>();
    return {
      productionMethod: (serial) => {
        if (!kinds.has(serial)) {
          const profileId = catalogue.recorders.get(serial)?.profileId;
          kinds.set(serial, profiles.find((p) => p.id === profileId)?.deviceKind ?? null);
        }
        return kinds.get(serial) ?? null;
      },
      requiredFields: catalogue.settings.get('labelRequiredFields'),
    };
  };
}
