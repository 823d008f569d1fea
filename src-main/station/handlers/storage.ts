import type { StationServices } from '../station-services';
import type { HandlersOf } from './handler-types';

/**
 * The archive disk's room (D-NO-TAMPER, D-24H): sizes and a rate, nothing of any clip, so
 * custodians and supervisors read it alike.
 */
export function storageHandlers(services: StationServices): HandlersOf<'station.storage'> {
  const { archiveSpace } = services;
  return {
    'station.storage': () => archiveSpace.measure(),
  };
}
