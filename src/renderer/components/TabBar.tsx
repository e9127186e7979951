interface Tab<Id extends string> {
  id: Id;
  label: string;
  testId: string;
}

interface Props<Id extends string> {
  tabs: readonly Tab<Id>[];
  current: Id;
  onSelect: (id: Id) => void;
  label: string;
}

/** Big touch-friendly tabs inside a screen. */
export function TabBar<Id extends string>({ tabs, current, onSelect, label }: Props<Id>) {
  return (
    <div className="tabs" role="tablist" aria-label={label}>
      {tabs.map((tab) => (
        <button
          key={tab.id}
          type="button"
          role="tab"
          className="tabs__tab"
          aria-selected={tab.id === current}
          data-testid={tab.testId}
          onClick={() => onSelect(tab.id)}
        >
          {tab.label}
        </button>
      ))}
    </div>
  );
}
