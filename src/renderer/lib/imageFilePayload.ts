import { MAX_IMAGE_BYTES } from '../../shared/api/stationApi';
import { blobToBase64 } from './blobToBase64';

export type ImageFilePayload = { ok: true; fileName: string; data: string } | { ok: false; fileName: string; reason: string };

/**
 * A picked or dropped file as the API's { fileName, data }, or the reason it cannot be sent: files
 * the server would refuse for size or emptiness are caught here so they do not sink a whole batch.
 */
export async function imageFilePayload(file: File): Promise<ImageFilePayload> {
  const fileName = file.name;
  if (file.size === 0) return { ok: false, fileName, reason: 'The file is empty' };
  if (file.size > MAX_IMAGE_BYTES) return { ok: false, fileName, reason: 'The image is larger than 40 MB' };
  try {
    return { ok: true, fileName, data: await blobToBase64(file) };
  } catch (error) {
    return { ok: false, fileName, reason: error instanceof Error ? error.message : 'The file could not be read' };
  }
}
