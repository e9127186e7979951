import { useStationInfo } from '../state/StationInfoContext';

/** Said next to supervisor actions while they are locked (the server would refuse them anyway). */
export function SupervisorNotice({ what }: { what: string }) {
  const { supervisor } = useStationInfo();
  if (supervisor) return null;
  return (
    <p className="notice" data-testid="supervisor-needed">
      A supervisor PIN is needed to {what}. Unlock in the Supervisor panel (Retrain or Settings).
    </p>
  );
}
