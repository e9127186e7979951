import { useState, type ReactNode } from 'react';
import { droppedFiles } from '../lib/droppedFiles';

interface Props {
  onFiles: (files: File[]) => void;
  disabled?: boolean;
  children: ReactNode;
}

/** Files (and folders) dragged onto this area are handed to `onFiles`. */
export function DropZone({ onFiles, disabled = false, children }: Props) {
  const [over, setOver] = useState(false);
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: a drop target; the file and folder pickers inside it are the keyboard path
    <div
      className={`drop-zone${over ? ' drop-zone--over' : ''}${disabled ? ' drop-zone--disabled' : ''}`}
      onDragOver={(event) => {
        event.preventDefault();
        event.dataTransfer.dropEffect = disabled ? 'none' : 'copy';
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(event) => {
        event.preventDefault();
        setOver(false);
        if (disabled) return;
        // The DataTransfer is only readable during the event: collect the entries before awaiting.
        void droppedFiles(event.dataTransfer).then((files) => {
          if (files.length > 0) onFiles(files);
        });
      }}
    >
      {children}
    </div>
  );
}
