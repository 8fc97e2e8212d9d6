import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { problemOf } from '../api/problem';

/** A failed call, in the API's own words (its problem detail and the fields it names). */
export function ErrorMessage({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  const problem = problemOf(error);
  return (
    <div role="alert" className="error-message">
      <strong>{problem?.title ?? t('common.error')}</strong>
      {problem?.detail && <span> — {problem.detail}</span>}
      {problem?.errors && problem.errors.length > 1 && (
        <ul>
          {problem.errors.map((e) => (
            <li key={e.field}>
              <code>{e.field}</code>: {e.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function Loading({ label }: { label?: string }) {
  const { t } = useTranslation();
  return (
    <p className="loading" role="status">
      {label ?? t('common.loading')}
    </p>
  );
}

/** Loading, failed or ready: the three states every query-backed section shows the same way. */
export function QueryState<T>({ query, children }: { query: { data?: T; error: unknown; isPending: boolean }; children: (data: T) => ReactNode }) {
  if (query.error) return <ErrorMessage error={query.error} />;
  if (query.isPending || query.data === undefined) return <Loading />;
  return <>{children(query.data)}</>;
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}
