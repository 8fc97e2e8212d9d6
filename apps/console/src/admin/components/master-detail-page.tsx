import { useState, type ReactNode } from 'react';
import { Button } from 'react-aria-components';
import { Empty, QueryState } from '../../ui/feedback';

type Selection = string | 'new' | null;

interface MasterDetailPageProps<T extends { id: string }> {
  titleId: string;
  title: string;
  query: { data?: T[]; error: unknown; isPending: boolean };
  newLabel: string;
  emptyText: string;
  /** Items in the order to list them (as the API gives them when left out). */
  order?: (items: T[]) => T[];
  /** An ordered list (<ol>) under this name, for items whose order matters. */
  orderedLabel?: string;
  itemContent: (item: T) => ReactNode;
  /** The editor for the selected item, for a new one, or nothing. */
  detail: (selection: { item: T | null; isNew: boolean; items: T[]; select: (id: Selection) => void }) => ReactNode;
}

/** A settings page: the items on the left (and a "new" button), the selected one's editor on the right. */
export function MasterDetailPage<T extends { id: string }>({ titleId, title, query, newLabel, emptyText, order, orderedLabel, itemContent, detail }: MasterDetailPageProps<T>) {
  const [selected, setSelected] = useState<Selection>(null);
  const List = orderedLabel ? 'ol' : 'ul';
  return (
    <section className="page settings-page" aria-labelledby={titleId}>
      <h1 id={titleId}>{title}</h1>
      <QueryState query={query}>
        {(loaded) => {
          const items = order ? order(loaded) : loaded;
          return (
            <div className="master-detail">
              <div>
                <Button className="button primary" onPress={() => setSelected('new')}>
                  {newLabel}
                </Button>
                {items.length === 0 ? (
                  <Empty>{emptyText}</Empty>
                ) : (
                  <List className="item-list" aria-label={orderedLabel}>
                    {items.map((item) => (
                      <li key={item.id}>
                        <Button className={`item${item.id === selected ? ' selected' : ''}`} onPress={() => setSelected(item.id)} aria-current={item.id === selected ? 'true' : undefined}>
                          {itemContent(item)}
                        </Button>
                      </li>
                    ))}
                  </List>
                )}
              </div>
              <div>{detail({ item: items.find((i) => i.id === selected) ?? null, isNew: selected === 'new', items, select: setSelected })}</div>
            </div>
          );
        }}
      </QueryState>
    </section>
  );
}
