import { useState } from 'react';
import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '../../api/client';
import { parseTags } from '../../inbox/tag-list';
import { TextField } from '../../ui/fields';
import { ErrorMessage } from '../../ui/feedback';
import { useTicketChanges } from '../hooks/use-ticket';

/** The ticket's tags: each removable, new ones added (PATCH addTags/removeTags; the API checks each tag and the cap). */
export function TagsPanel({ ticket, onChanged, canChange }: { ticket: Schemas['TicketResponseDto']; onChanged: () => void; canChange: boolean }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const { path, update } = useTicketChanges(ticket.id, onChanged);
  const add = () => {
    const addTags = parseTags(text);
    if (addTags.length) update.mutate({ ...path, body: { addTags } }, { onSuccess: () => setText('') });
  };

  return (
    <section className="panel" aria-labelledby="tags-title">
      <h2 id="tags-title">{t('ticket.tags')}</h2>
      {ticket.tags.length === 0 ? (
        <p className="empty">{t('tags.none')}</p>
      ) : (
        <ul className="tag-list">
          {ticket.tags.map((tag) => (
            <li key={tag} className="tag">
              <span>{tag}</span>
              {canChange && (
                <Button className="tag-remove" aria-label={t('tags.remove', { tag })} isDisabled={update.isPending} onPress={() => update.mutate({ ...path, body: { removeTags: [tag] } })}>
                  ×
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
      {canChange && (
        <form
          className="inline-form"
          onSubmit={(event) => {
            event.preventDefault();
            add();
          }}
        >
          <TextField label={t('tags.add')} value={text} onChange={setText} placeholder="vip, outlook" />
          <Button type="submit" className="button small" isDisabled={update.isPending || parseTags(text).length === 0}>
            {t('tags.addButton')}
          </Button>
        </form>
      )}
      <ErrorMessage error={update.error} />
    </section>
  );
}
