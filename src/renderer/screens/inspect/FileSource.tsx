import { useRef, useState } from 'react';
import { useInspectionFeed } from '../../state/InspectionFeedContext';
import { useInspectImage } from '../../state/useInspectImage';
import { imageFilePayload } from '../../lib/imageFilePayload';
import { DropZone } from '../../components/DropZone';
import { formatShownScore } from '../../lib/formatNumbers';

interface FileOutcome {
  fileName: string;
  text: string;
  failed: boolean;
}

/** Inspects picked or dropped image files one after the other. */
export function FileSource({ product }: { product: string | null }) {
  const inspect = useInspectImage();
  const { refuse } = useInspectionFeed();
  const inputRef = useRef<HTMLInputElement>(null);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [outcomes, setOutcomes] = useState<FileOutcome[]>([]);

  const inspectFiles = async (files: File[]) => {
    if (!product || files.length === 0) return;
    setOutcomes([]);
    for (const [index, file] of files.entries()) {
      setProgress({ done: index, total: files.length });
      const payload = await imageFilePayload(file);
      let outcome: FileOutcome;
      if (!payload.ok) {
        outcome = { fileName: payload.fileName, text: payload.reason, failed: true };
        refuse(payload.fileName, payload.reason);
      } else {
        const result = await inspect.run({ product, source: 'import', fileName: payload.fileName, data: payload.data });
        outcome = result
          ? { fileName: payload.fileName, text: `${result.verdict.toUpperCase()} (score ${formatShownScore(result)})`, failed: false }
          : { fileName: payload.fileName, text: 'not inspected (see the message above)', failed: true };
      }
      setOutcomes((current) => [...current, outcome]);
    }
    setProgress(null);
    // Let the same files be picked again.
    if (inputRef.current) inputRef.current.value = '';
  };

  const busy = progress !== null;
  return (
    <div className="source source--files">
      <DropZone onFiles={(files) => void inspectFiles(files)} disabled={!product || busy}>
        <p>Drop image files here, or</p>
        <label className="button button--primary file-button">
          Choose files…
          <input
            ref={inputRef}
            data-testid="file-input"
            type="file"
            multiple
            accept="image/*"
            disabled={!product || busy}
            onChange={(event) => void inspectFiles([...(event.target.files ?? [])])}
          />
        </label>
      </DropZone>
      {!product && <p className="notice">Pick a product first.</p>}
      {progress && (
        <p role="status">
          Inspecting {progress.done + 1} of {progress.total}…
        </p>
      )}
      {outcomes.length > 0 && (
        <ul className="file-outcomes">
          {outcomes.map((outcome, index) => (
            <li key={`${outcome.fileName}-${index}`} className={outcome.failed ? 'text-fail' : undefined}>
              <span className="wrap">{outcome.fileName}</span>: {outcome.text}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
