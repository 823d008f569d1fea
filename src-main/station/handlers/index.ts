import type { StationServices } from '../station-services';
import { accountHandlers } from './accounts';
import { auditHandlers } from './audit';
import { caseHandlers } from './cases';
import { clipHandlers } from './clips';
import { discHandlers } from './discs';
import { dockHandlers } from './dock';
import type { Handlers } from './handler-types';
import { forwardHandlers } from './forward';
import { integrityHandlers } from './integrity';
import { policyHandlers } from './policy';
import { recorderHandlers } from './recorders';
import { reportHandlers } from './reports';
import { storageHandlers } from './storage';

export type { CallContext, Handlers } from './handler-types';

/**
 * One thin handler per contract method: decode (the dispatcher already validated the input and
 * the permission), one service call, encode. What may be done and seen is the services' business.
 */
export function createHandlers(services: StationServices): Handlers {
  return {
    ...accountHandlers(services),
    ...auditHandlers(services),
    ...recorderHandlers(services),
    ...dockHandlers(services),
    ...clipHandlers(services),
    ...caseHandlers(services),
    ...reportHandlers(services),
    ...policyHandlers(services),
    ...integrityHandlers(services),
    ...forwardHandlers(services),
    ...discHandlers(services),
    ...storageHandlers(services),
  };
}
