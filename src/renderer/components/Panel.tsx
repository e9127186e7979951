import type { ReactNode } from 'react';
import { ErrorScope } from './ErrorScope';

interface Props {
  title: string;
  children: ReactNode;
  className?: string;
  testId?: string;
  /** A panel whose action button closes it (a long form): what fails is said below that button, not under the title. */
  errorsBelow?: boolean;
}

/** A titled card; screens are made of these. What fails in it is said in it, under the title unless told. */
export function Panel({ title, children, className, testId, errorsBelow = false }: Props) {
  return (
    <section className={`panel${className ? ` ${className}` : ''}`} data-testid={testId}>
      <h2 className="panel__title">{title}</h2>
      <ErrorScope messagesFirst={!errorsBelow}>{children}</ErrorScope>
    </section>
  );
}
