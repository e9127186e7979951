/** How the picture is zoomed and panned in its frame: the content is scaled by `zoom` from the frame's top left, then moved by (x, y) pixels. */
export interface ImageView {
  zoom: number;
  x: number;
  y: number;
}

export const MAX_ZOOM = 8;

/** Keeps the zoomed picture covering its frame: no empty margin can be dragged into view. */
export function clampView(view: ImageView, frame: { width: number; height: number }): ImageView {
  const zoom = Math.min(MAX_ZOOM, Math.max(1, view.zoom));
  const clamp = (v: number, size: number) => Math.min(0, Math.max(size * (1 - zoom), v));
  return { zoom, x: clamp(view.x, frame.width), y: clamp(view.y, frame.height) };
}

/** Zooms by `factor` keeping the point `at` (frame pixels) where it is, as a wheel or a pinch does. */
export function zoomAt(view: ImageView, factor: number, at: { x: number; y: number }, frame: { width: number; height: number }): ImageView {
  const zoom = Math.min(MAX_ZOOM, Math.max(1, view.zoom * factor));
  const content = { x: (at.x - view.x) / view.zoom, y: (at.y - view.y) / view.zoom };
  return clampView({ zoom, x: at.x - content.x * zoom, y: at.y - content.y * zoom }, frame);
}
