import { useEffect } from 'react';
import { SCREENS, type ScreenId } from '../lib/screens';

interface Props {
  current: ScreenId;
  onSelect: (screen: ScreenId) => void;
}

/** Five big tabs; Alt+1..5 switch screens from the keyboard. */
export function NavBar({ current, onSelect }: Props) {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!event.altKey || event.ctrlKey || event.metaKey) return;
      const screen = SCREENS[Number(event.key) - 1];
      if (screen) {
        event.preventDefault();
        onSelect(screen.id);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onSelect]);

  return (
    <nav className="nav" aria-label="Screens">
      {SCREENS.map((screen, index) => (
        <button
          key={screen.id}
          type="button"
          className="nav__tab"
          data-testid={`nav-${screen.id}`}
          aria-current={screen.id === current ? 'page' : undefined}
          title={`Alt+${index + 1}`}
          onClick={() => onSelect(screen.id)}
        >
          {screen.label}
        </button>
      ))}
    </nav>
  );
}
