/** How long a capture waits for a camera that has just started to deliver its first picture. */
const FIRST_FRAME_TIMEOUT_MS = 5000;

/** Draws the video's current frame at its native size and encodes it as PNG. */
export async function captureVideoFrame(video: HTMLVideoElement): Promise<Blob> {
  await firstFrame(video);
  const width = video.videoWidth;
  const height = video.videoHeight;
  if (width === 0 || height === 0) throw new Error('The camera has not delivered a picture yet');
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('This browser cannot draw the camera picture');
  context.drawImage(video, 0, 0, width, height);
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('The camera picture could not be encoded'))), 'image/png');
  });
}

/** Resolves once the video has a frame to draw (a capture pressed right after the camera opened). */
function firstFrame(video: HTMLVideoElement): Promise<void> {
  if (video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA && video.videoWidth > 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      window.clearTimeout(timer);
      video.removeEventListener('loadeddata', done);
      resolve();
    };
    const timer = window.setTimeout(done, FIRST_FRAME_TIMEOUT_MS);
    video.addEventListener('loadeddata', done);
  });
}
