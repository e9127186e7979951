import { useCallback, useEffect, useState } from 'react';

/** The cameras the browser can see; labels appear once camera permission has been granted. */
export function useVideoDevices(): { devices: MediaDeviceInfo[]; refresh: () => void } {
  const [devices, setDevices] = useState<MediaDeviceInfo[]>([]);
  const refresh = useCallback(() => {
    if (!navigator.mediaDevices?.enumerateDevices) return;
    navigator.mediaDevices
      .enumerateDevices()
      .then((all) => setDevices(all.filter((device) => device.kind === 'videoinput')))
      .catch(() => setDevices([]));
  }, []);
  useEffect(() => {
    refresh();
    const media = navigator.mediaDevices;
    if (!media) return undefined;
    media.addEventListener('devicechange', refresh);
    return () => media.removeEventListener('devicechange', refresh);
  }, [refresh]);
  return { devices, refresh };
}
