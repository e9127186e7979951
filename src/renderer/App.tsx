import { useCallback, useState } from 'react';
import type { StationBridge } from '../shared/api/stationBridge';
import { AppHeader } from './components/AppHeader';
import { ErrorBanner } from './components/ErrorBanner';
import { FirstRunSetup } from './components/FirstRunSetup';
import { GlobalErrorListeners } from './components/GlobalErrorListeners';
import { NavBar } from './components/NavBar';
import { ScreenErrorBoundary } from './components/ScreenErrorBoundary';
import type { ScreenId } from './lib/screens';
import { HistoryScreen } from './screens/HistoryScreen';
import { InspectScreen } from './screens/InspectScreen';
import { ReportsScreen } from './screens/ReportsScreen';
import { RetrainScreen } from './screens/RetrainScreen';
import { SettingsScreen } from './screens/SettingsScreen';
import { ErrorReportProvider, useErrorReporter } from './connection/ErrorReportContext';
import { InspectionFeedProvider } from './state/InspectionFeedContext';
import { ModelValidationsProvider } from './state/ModelValidationsContext';
import { StationInfoProvider } from './state/StationInfoContext';
import { StationProvider } from './connection/StationContext';

/** The station UI over one bridge (Electron preload or the browser host). */
export function App({ bridge }: { bridge: StationBridge }) {
  return (
    <StationProvider bridge={bridge}>
      <ErrorReportProvider>
        <GlobalErrorListeners />
        <StationInfoProvider>
          <InspectionFeedProvider>
            <ModelValidationsProvider>
              <AppShell />
            </ModelValidationsProvider>
          </InspectionFeedProvider>
        </StationInfoProvider>
      </ErrorReportProvider>
    </StationProvider>
  );
}

function AppShell() {
  const [screen, setScreen] = useState<ScreenId>('inspect');
  const { report, clearAll } = useErrorReporter();
  const onCrash = useCallback((message: string) => report('screen-crash', message), [report]);
  // Messages belong to the screen they came from; a new screen starts with a clean banner.
  const onSelect = useCallback(
    (next: ScreenId) => {
      if (next !== screen) clearAll();
      setScreen(next);
    },
    [screen, clearAll],
  );
  return (
    <div className="app">
      <AppHeader />
      <NavBar current={screen} onSelect={onSelect} />
      <ErrorBanner />
      <main className="app__main">
        <FirstRunSetup />
        {/* Keyed by screen: a crashed screen recovers when the operator moves on. */}
        <ScreenErrorBoundary key={screen} onCrash={onCrash}>
          <CurrentScreen screen={screen} />
        </ScreenErrorBoundary>
      </main>
    </div>
  );
}

function CurrentScreen({ screen }: { screen: ScreenId }) {
  switch (screen) {
    case 'inspect':
      return <InspectScreen />;
    case 'history':
      return <HistoryScreen />;
    case 'retrain':
      return <RetrainScreen />;
    case 'reports':
      return <ReportsScreen />;
    case 'settings':
      return <SettingsScreen />;
  }
}
