/** Shown instead of the app when it cannot start at all (e.g. no station connection). */
export function FatalError({ message }: { message: string }) {
  return (
    <main className="fatal">
      <h1>QA Station cannot start</h1>
      <div className="error-banner" role="alert" data-testid="error-banner">
        <p>{message}</p>
      </div>
      <p>Restart the station. If this keeps happening, call the supervisor.</p>
    </main>
  );
}
