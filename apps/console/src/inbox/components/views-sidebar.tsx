import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '../../api/client';
import { ErrorMessage, Loading } from '../../ui/feedback';
import { isCounted, type useViews } from '../hooks/use-views';

type View = Schemas['SavedViewDto'] | Schemas['UncountedViewDto'];

/** A view's name in the console's language (built-in views carry both). */
export function viewName(view: View, language: string): string {
  return view.names ? (language.startsWith('es') ? view.names.es : view.names.en) : view.name;
}

const KINDS = ['built-in', 'shared', 'personal'] as const;

/**
 * The inbox's views: "all tickets" (the filters above the list), the built-in views, the shared and
 * the caller's own, each with its live count (capped by the API: shown as "1,000+") once counted.
 */
export function ViewsSidebar({ active, views }: { active: string | undefined; views: ReturnType<typeof useViews>['views'] }) {
  const { t, i18n } = useTranslation();
  const count = (view: View) => (!isCounted(view) ? '' : view.countCapped ? t('views.capped', { n: view.count }) : String(view.count));

  return (
    <nav className="views-sidebar" aria-labelledby="views-title">
      <h2 id="views-title">{t('views.title')}</h2>
      <ul>
        <li>
          <Link to="/" search={{}} className={active ? undefined : 'active'} aria-current={active ? undefined : 'page'}>
            <span>{t('views.all')}</span>
          </Link>
        </li>
      </ul>
      {views.isPending && <Loading />}
      <ErrorMessage error={views.error} />
      {KINDS.map((kind) => {
        const group = (views.data ?? []).filter((view) => view.kind === kind);
        if (group.length === 0) return null;
        return (
          <div key={kind} className="views-group">
            <h3>{t(`views.kind.${kind}`)}</h3>
            <ul>
              {group.map((view) => (
                <li key={view.id}>
                  <Link to="/" search={{ view: view.id }} className={active === view.id ? 'active' : undefined} aria-current={active === view.id ? 'page' : undefined}>
                    <span className="view-name">{viewName(view, i18n.language)}</span>{' '}
                    <span className="view-count">
                      {count(view)}
                    </span>
                  </Link>
                </li>
              ))}
            </ul>
          </div>
        );
      })}
    </nav>
  );
}
