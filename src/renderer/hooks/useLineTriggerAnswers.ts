import { useEffect, useRef, useState } from 'react';
import { useStation } from '../connection/StationContext';
import { errorMessage } from '../lib/errorMessage';
import { useStationEvent } from './useStationEvent';

export interface LineTriggerAnswers {
  /** Offered to the station (the PLC's triggers come here). */
  offered: boolean;
  answered: number;
  error: string | null;
}

/**
 * While `on`, this screen offers the station its camera for line triggers (renewing the offer
 * before it lapses) and answers each frame request meant for it with `takeFrame` (base64 image),
 * or with why it cannot. Off or unmounted, the offer is withdrawn.
 */
export function useLineTriggerAnswers(on: boolean, takeFrame: () => Promise<string>): LineTriggerAnswers {
  const { client } = useStation();
  const [providerId, setProviderId] = useState<string | null>(null);
  const [answered, setAnswered] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const takeFrameRef = useRef(takeFrame);
  takeFrameRef.current = takeFrame;

  useEffect(() => {
    if (!on) return;
    let renew: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const offer = async () => {
      try {
        const { providerId: id, leaseSeconds } = await client['line.offerFrames']({ offer: true });
        if (stopped) return;
        setProviderId(id);
        setError(null);
        renew = setTimeout(() => void offer(), (leaseSeconds * 1000) / 3);
      } catch (failure) {
        if (stopped) return;
        setError(errorMessage(failure));
        renew = setTimeout(() => void offer(), 3_000);
      }
    };
    void offer();
    return () => {
      stopped = true;
      clearTimeout(renew);
      setProviderId(null);
      void client['line.offerFrames']({ offer: false }).catch(() => undefined);
    };
  }, [on, client]);

  useStationEvent('line.frameRequest', (request) => {
    if (!providerId || request.providerId !== providerId) return;
    void (async () => {
      try {
        const data = await takeFrameRef.current();
        await client['line.frame']({ requestId: request.requestId, data });
        setAnswered((n) => n + 1);
      } catch (failure) {
        const problem = errorMessage(failure).slice(0, 300) || 'the camera gave no frame';
        setError(problem);
        await client['line.frame']({ requestId: request.requestId, problem }).catch(() => undefined);
      }
    })();
  });

  return { offered: providerId !== null, answered, error };
}
