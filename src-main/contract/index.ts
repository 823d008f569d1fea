export * from './errors';
export * from './roles';
export * from './types';
export * from './methods';
export * from './events';
export * from './wire';
export * from './bridge';
