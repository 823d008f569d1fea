import { version } from '../../package.json';

export const STATION_VERSION: string = version;
