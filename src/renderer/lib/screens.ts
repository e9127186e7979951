/** The five screens of the top navigation, in order. */
export const SCREENS = [
  { id: 'inspect', label: 'Inspect' },
  { id: 'history', label: 'History' },
  { id: 'retrain', label: 'Retrain' },
  { id: 'reports', label: 'Reports' },
  { id: 'settings', label: 'Settings' },
] as const;

export type ScreenId = (typeof SCREENS)[number]['id'];
