import { useRef, useState, type PointerEvent, type WheelEvent } from 'react';
import type { ImageRef, InspectionResult } from '../../shared/api/apiRecords';
import { useStation } from '../connection/StationContext';
import { clampView, zoomAt, type ImageView } from '../lib/imageView';

interface Props {
  image: ImageRef;
  overlay: ImageRef | null;
  alt: string;
  /** The defect regions, in the image's own pixels; `highlighted` is outlined (the defect row under the pointer). */
  regions?: readonly InspectionResult['regions'][number][];
  highlighted?: number | null;
}

const RESET: ImageView = { zoom: 1, x: 0, y: 0 };

/**
 * The part's picture with the defect overlay on top. The slider fades the overlay; the wheel, the
 * buttons (for touch screens) and dragging zoom and pan; a highlighted region is outlined.
 */
export function OverlayImage({ image, overlay, alt, regions = [], highlighted = null }: Props) {
  const { bridge } = useStation();
  const [opacity, setOpacity] = useState(60);
  const [view, setView] = useState<ImageView>(RESET);
  const [natural, setNatural] = useState<{ width: number; height: number } | null>(null);
  const frame = useRef<HTMLDivElement>(null);
  const drag = useRef<{ x: number; y: number; view: ImageView } | null>(null);

  const size = () => ({ width: frame.current?.clientWidth ?? 1, height: frame.current?.clientHeight ?? 1 });
  const zoomBy = (factor: number, at?: { x: number; y: number }) => {
    const { width, height } = size();
    setView((current) => zoomAt(current, factor, at ?? { x: width / 2, y: height / 2 }, { width, height }));
  };
  const onWheel = (event: WheelEvent<HTMLDivElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    zoomBy(event.deltaY < 0 ? 1.25 : 0.8, { x: event.clientX - box.left, y: event.clientY - box.top });
  };
  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    if (view.zoom === 1) return;
    event.currentTarget.setPointerCapture(event.pointerId);
    drag.current = { x: event.clientX, y: event.clientY, view };
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    const start = drag.current;
    if (!start) return;
    const moved = { ...start.view, x: start.view.x + event.clientX - start.x, y: start.view.y + event.clientY - start.y };
    setView(clampView(moved, size()));
  };
  const region = highlighted === null ? undefined : regions[highlighted];

  return (
    <figure className="overlay-image">
      {/* biome-ignore lint/a11y/noStaticElementInteractions: wheel and drag are a pointer's shortcuts; the buttons below do the same for keyboards and touch */}
      <div
        ref={frame}
        className="overlay-image__frame"
        data-testid="image-frame"
        data-zoom={view.zoom}
        onWheel={onWheel}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={() => {
          drag.current = null;
        }}
        onDoubleClick={() => setView(RESET)}
      >
        <div className="overlay-image__stack" style={{ transform: `translate(${view.x}px, ${view.y}px) scale(${view.zoom})` }}>
          <img
            data-testid="result-image"
            src={bridge.imageUrl(image)}
            alt={alt}
            draggable={false}
            onLoad={(event) => setNatural({ width: event.currentTarget.naturalWidth, height: event.currentTarget.naturalHeight })}
          />
          {overlay && (
            <img
              data-testid="overlay-image"
              className="overlay-image__overlay"
              src={bridge.imageUrl(overlay)}
              alt="Defect overlay"
              draggable={false}
              style={{ opacity: opacity / 100 }}
            />
          )}
          {natural && region && (
            // The same "contain" fit as the pictures: the box lands on the region at any size and zoom.
            <svg className="overlay-image__regions" viewBox={`0 0 ${natural.width} ${natural.height}`} preserveAspectRatio="xMidYMid meet">
              <title>Defect {(highlighted ?? 0) + 1}</title>
              <rect
                data-testid="region-highlight"
                x={region.x}
                y={region.y}
                width={region.width}
                height={region.height}
                vectorEffect="non-scaling-stroke"
              />
            </svg>
          )}
        </div>
      </div>
      <div className="overlay-image__controls">
        {overlay && (
          <label className="overlay-image__slider">
            Overlay {opacity}%
            <input
              data-testid="overlay-opacity"
              type="range"
              min={0}
              max={100}
              step={5}
              value={opacity}
              onChange={(event) => setOpacity(Number(event.target.value))}
            />
          </label>
        )}
        <span className="overlay-image__zoom">
          <button type="button" className="button button--quiet" data-testid="zoom-in" onClick={() => zoomBy(1.5)} aria-label="Zoom in">
            +
          </button>
          <button
            type="button"
            className="button button--quiet"
            data-testid="zoom-out"
            onClick={() => zoomBy(1 / 1.5)}
            aria-label="Zoom out"
          >
            −
          </button>
          <button
            type="button"
            className="button button--quiet"
            data-testid="zoom-reset"
            onClick={() => setView(RESET)}
            disabled={view.zoom === 1}
          >
            Fit
          </button>
        </span>
      </div>
    </figure>
  );
}
