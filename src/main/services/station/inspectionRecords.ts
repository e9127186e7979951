import type { InspectionResult } from '../../../shared/api/apiRecords';
import type { ImagesRemovedReason, Inspection } from '../../../shared/catalogTypes';
import type { Catalog } from '../../catalog/catalog';
import { recordedNormalisedScore } from '../../../shared/normalisedScore';

const IMAGES_NOTES: Record<ImagesRemovedReason, string> = {
  retention: "The images were removed by the station's retention policy; the result is kept.",
  'disk-full': 'The disk was full: the verdict was recorded, the images were not kept.',
};

/** A catalogue inspection as the UI sees it: names instead of ids, image references instead of paths. */
export function toInspectionResult(catalog: Catalog, inspection: Inspection): InspectionResult {
  const gone = inspection.imagesRemoved;
  const source = inspection.source === 'camera' || inspection.source === 'hot-folder' ? inspection.source : 'import';
  return {
    id: inspection.id,
    at: inspection.at,
    product: catalog.classes.get(inspection.classId)?.name ?? `#${inspection.classId}`,
    fileName: inspection.fileName ?? inspection.imagePath.split(/[\\/]/).pop() ?? '',
    source,
    verdict: inspection.verdict,
    score: inspection.score,
    threshold: inspection.threshold,
    normalisedScore: recordedNormalisedScore(inspection),
    scoreSpread: inspection.scoreSpread,
    modelVersion: catalog.models.get(inspection.modelVersionId)?.version ?? `#${inspection.modelVersionId}`,
    operator: inspection.operatorId === null ? null : (catalog.users.get(inspection.operatorId)?.name ?? null),
    regions: inspection.regions,
    classWarning: inspection.classWarning,
    nearestProduct: inspection.nearestClass,
    latencyMs: inspection.latencyMs,
    review: inspection.review,
    image: gone ? null : `inspection/${inspection.id}/image`,
    overlay: !gone && inspection.overlayPath ? `inspection/${inspection.id}/overlay` : null,
    map: !gone && inspection.anomalyMapPath ? `inspection/${inspection.id}/map` : null,
    imagesNote: gone ? IMAGES_NOTES[gone] : null,
  };
}
