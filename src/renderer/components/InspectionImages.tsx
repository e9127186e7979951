import type { InspectionResult } from '../../shared/api/apiRecords';
import { OverlayImage } from './OverlayImage';

/** The inspected image with its overlay, or why it is not there any more (retention, full disk). */
export function InspectionImages({ result, highlighted = null }: { result: InspectionResult; highlighted?: number | null }) {
  if (!result.image) {
    return (
      <p className="notice" data-testid="images-note">
        {result.imagesNote ?? 'The images of this inspection are not available.'}
      </p>
    );
  }
  return (
    <OverlayImage
      key={result.id}
      image={result.image}
      overlay={result.overlay}
      alt={`Inspected ${result.fileName}`}
      regions={result.regions}
      highlighted={highlighted}
    />
  );
}
