// First import: zod must be told not to probe eval before the contract's schemas are built.
import './lib/zodJitless';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { StationBridge } from '../shared/api/stationBridge';
import { App } from './App';
import { FatalError } from './components/FatalError';
import { createHostBridge } from './hostBridge';
import { errorMessage } from './lib/errorMessage';
import './styles/app.css';

/** Electron's preload has set window.station already; in the browser host the page makes its own. */
function installBridge(): StationBridge {
  if (!window.station) window.station = createHostBridge();
  return window.station;
}

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');
const root = createRoot(container);
try {
  const bridge = installBridge();
  root.render(
    <StrictMode>
      <App bridge={bridge} />
    </StrictMode>,
  );
} catch (error) {
  root.render(<FatalError message={errorMessage(error)} />);
}
