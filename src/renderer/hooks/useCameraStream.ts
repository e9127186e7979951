import { useEffect, useState } from 'react';

export interface CameraStream {
  stream: MediaStream | null;
  /** Why the camera could not start (shown next to the video, not in the API error banner). */
  error: string | null;
}

/** Opens the camera (a chosen device, or the default one) while `enabled`; stops it when done. */
export function useCameraStream(deviceId: string | null, enabled: boolean): CameraStream {
  const [state, setState] = useState<CameraStream>({ stream: null, error: null });
  useEffect(() => {
    if (!enabled) return undefined;
    if (!navigator.mediaDevices?.getUserMedia) {
      setState({ stream: null, error: 'This window cannot use a camera.' });
      return undefined;
    }
    let cancelled = false;
    let opened: MediaStream | null = null;
    const video: MediaTrackConstraints = deviceId ? { deviceId: { exact: deviceId } } : {};
    navigator.mediaDevices
      .getUserMedia({ video, audio: false })
      .then((stream) => {
        if (cancelled) {
          stopStream(stream);
          return;
        }
        opened = stream;
        setState({ stream, error: null });
      })
      .catch((error: unknown) => {
        if (!cancelled) setState({ stream: null, error: cameraErrorMessage(error) });
      });
    return () => {
      cancelled = true;
      if (opened) stopStream(opened);
      setState({ stream: null, error: null });
    };
  }, [deviceId, enabled]);
  return state;
}

function stopStream(stream: MediaStream): void {
  for (const track of stream.getTracks()) track.stop();
}

function cameraErrorMessage(error: unknown): string {
  const name = error instanceof DOMException ? error.name : '';
  if (name === 'NotAllowedError') return 'Camera access was refused. Allow the camera for this station and try again.';
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'No camera found. Plug one in or pick another.';
  if (name === 'NotReadableError') return 'The camera is in use by another program.';
  return error instanceof Error ? `The camera could not start: ${error.message}` : 'The camera could not start.';
}
