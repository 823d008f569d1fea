/** The rules of DOMAIN.md as pure functions; each names its rule id. */
export * from './archive-space';
export * from './clock';
export * from './continuity';
export * from './cases';
export * from './custody';
export * from './disc-media';
export * from './disc-plan';
export * from './forward-schedule';
export * from './labels';
export * from './policy';
export * from './retention';
export * from './visibility';
export { toEpochMs, toIso } from './time';
