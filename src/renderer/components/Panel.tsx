import type { ReactNode } from 'react';

/** A titled card; screens are made of these. */
export function Panel({ title, children, className, testId }: { title: string; children: ReactNode; className?: string; testId?: string }) {
  return (
    <section className={`panel${className ? ` ${className}` : ''}`} data-testid={testId}>
      <h2 className="panel__title">{title}</h2>
      {children}
    </section>
  );
}
