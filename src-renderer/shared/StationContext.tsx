import { createContext, useCallback, useContext, useSyncExternalStore } from 'react';
import type { MethodOutput } from '../../src-main/contract';
import type { StationClient } from '../api/client';
import type { ConnectionState } from '../api/transport';

export type StationInfo = MethodOutput<'station.info'>;

export interface StationContextValue {
  client: StationClient;
  info: StationInfo;
  connection: ConnectionState;
  /** Goes up each time the connection comes back after a loss. */
  reconnects: number;
}

const StationContext = createContext<StationContextValue | null>(null);

export const StationProvider = StationContext.Provider;

export function useStation(): StationContextValue {
  const value = useContext(StationContext);
  if (value === null) throw new Error('useStation outside StationProvider');
  return value;
}

/**
 * The connection state, and a counter that goes up each time the connection comes back:
 * screens put it in their effect dependencies to reload what they may have missed.
 */
export function useConnection(client: StationClient): {
  state: ConnectionState;
  reconnects: number;
} {
  const subscribe = useCallback(
    (onChange: () => void) => client.onConnectionState(onChange),
    [client],
  );
  const state = useSyncExternalStore(subscribe, () => client.connectionState);
  const reconnects = useSyncExternalStore(subscribe, () => client.reconnectCount);
  return { state, reconnects };
}
