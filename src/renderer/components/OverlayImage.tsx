import { useState } from 'react';
import type { ImageRef } from '../../shared/api/apiRecords';
import { useStation } from '../connection/StationContext';

interface Props {
  image: ImageRef;
  overlay: ImageRef | null;
  alt: string;
}

/** The part's picture with the defect overlay on top; the slider fades the overlay in and out. */
export function OverlayImage({ image, overlay, alt }: Props) {
  const { bridge } = useStation();
  const [opacity, setOpacity] = useState(60);
  return (
    <figure className="overlay-image">
      <div className="overlay-image__stack">
        <img data-testid="result-image" src={bridge.imageUrl(image)} alt={alt} />
        {overlay && (
          <img
            data-testid="overlay-image"
            className="overlay-image__overlay"
            src={bridge.imageUrl(overlay)}
            alt="Defect overlay"
            style={{ opacity: opacity / 100 }}
          />
        )}
      </div>
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
    </figure>
  );
}
