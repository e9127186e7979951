import { useEffect, useRef } from 'react';
import type { EventName, EventPayload } from '../../shared/api/stationEvents';
import { useStation } from '../connection/StationContext';

/** Listens to a pushed station event for as long as the component is mounted. */
export function useStationEvent<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): void {
  const { bridge } = useStation();
  // Subscribe once per event name; the ref lets the listener see the latest props and state.
  const listenerRef = useRef(listener);
  listenerRef.current = listener;
  useEffect(() => bridge.on(event, (payload) => listenerRef.current(payload)), [bridge, event]);
}
