import { createContext, useContext, useMemo, type ReactNode } from 'react';
import type { StationBridge } from '../../shared/api/stationBridge';
import { createStationClient } from '../../shared/api/stationClient';
import type { StationClient } from '../../shared/api/stationApi';

export interface StationServices {
  /** `window.station`: events, image URLs and report export. */
  bridge: StationBridge;
  /** Typed API calls over the bridge; they reject with ApiError. */
  client: StationClient;
}

const StationContext = createContext<StationServices | null>(null);

export function StationProvider({ bridge, children }: { bridge: StationBridge; children: ReactNode }) {
  const services = useMemo(() => ({ bridge, client: createStationClient(bridge) }), [bridge]);
  return <StationContext.Provider value={services}>{children}</StationContext.Provider>;
}

export function useStation(): StationServices {
  const services = useContext(StationContext);
  if (!services) throw new Error('useStation is used outside StationProvider');
  return services;
}
