import { Component, type ErrorInfo, type ReactNode } from 'react';
import { errorMessage } from '../lib/errorMessage';

interface Props {
  children: ReactNode;
  /** Sends the crash to the error banner. */
  onCrash: (message: string) => void;
}

interface State {
  crashed: string | null;
}

/** A screen that throws while rendering shows what happened instead of a blank page. */
export class ScreenErrorBoundary extends Component<Props, State> {
  override state: State = { crashed: null };

  static getDerivedStateFromError(error: unknown): State {
    return { crashed: errorMessage(error) };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    this.props.onCrash(`This screen stopped: ${errorMessage(error)}`);
    console.error(error, info.componentStack);
  }

  override render(): ReactNode {
    if (this.state.crashed === null) return this.props.children;
    return (
      <section className="panel">
        <h2>This screen stopped working</h2>
        <p>{this.state.crashed}</p>
        <button type="button" className="button" onClick={() => this.setState({ crashed: null })}>
          Try again
        </button>
      </section>
    );
  }
}
