import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { isUnder, problemOf } from '../api/problem';
import { fieldErrorText, problemText } from './field-errors';

/**
 * A failed call. The fields it names, in the reader's language, leaving out those a form shows by
 * their own field (`shown`); when the console has no words for one of them, or the problem names no
 * field, the problem in the reader's language from its code, or the API's own words (its title and
 * detail) for a problem without one.
 */
export function ErrorMessage({ error, shown = [], labels = {} }: { error: unknown; shown?: string[]; labels?: Record<string, string> }) {
  const { t, i18n } = useTranslation();
  if (!error) return null;
  const problem = problemOf(error);
  const errors = (problem?.errors ?? []).filter((e) => !shown.some((field) => isUnder(e, field)));
  if (problem?.errors?.length && errors.length === 0) return null;
  const said = errors.map((e) => ({ field: e.field, text: fieldErrorText(i18n, e, labels[e.field]), own: fieldErrorText(i18n, e, labels[e.field]) !== e.message }));
  const translated = said.length > 0 && said.every((e) => e.own);
  const own = problem ? problemText(i18n, problem) : undefined;
  return (
    <div role="alert" className="error-message">
      {translated ? (
        <strong>{t('fieldErrors.title')}</strong>
      ) : own ? (
        <strong>{own}</strong>
      ) : (
        <>
          <strong>{problem?.title ?? t('common.error')}</strong>
          {problem?.detail && <span> — {problem.detail}</span>}
        </>
      )}
      {(translated || said.length > 1) && (
        <ul>
          {said.map((e, index) => (
            <li key={`${e.field}-${index}`}>
              {e.own ? (
                e.text
              ) : (
                <>
                  <code>{e.field}</code>: {e.text}
                </>
              )}
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
