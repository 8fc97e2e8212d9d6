import { useState } from 'react';
import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, type Schemas } from '../../api/client';
import { SelectField } from '../../ui/fields';
import { ErrorMessage } from '../../ui/feedback';
import { MacroActions } from './macro-actions';

/**
 * Macros on the ticket: pick one, preview what it would write (in the requester's language, with
 * the placeholders filled, writing nothing), then apply it (its comment and its actions at once).
 */
export function MacroPanel({ ticket, onChanged }: { ticket: Schemas['TicketResponseDto']; onChanged: () => void }) {
  const { t } = useTranslation();
  const macros = api.useQuery('get', '/api/v1/macros');
  const [macroId, setMacroId] = useState('');
  const path = { params: { path: { id: ticket.id, macroId } } };
  const preview = api.useMutation('post', '/api/v1/tickets/{id}/macros/{macroId}/preview');
  const apply = api.useMutation('post', '/api/v1/tickets/{id}/macros/{macroId}', {
    onSuccess: () => {
      preview.reset();
      setMacroId('');
      onChanged();
    },
  });
  const shown = preview.data?.macroId === macroId ? preview.data : undefined;

  return (
    <section className="panel" aria-labelledby="macros-title">
      <h2 id="macros-title">{t('macros.title')}</h2>
      <ErrorMessage error={macros.error} />
      {macros.data && macros.data.length === 0 ? (
        <p className="empty">{t('macros.none')}</p>
      ) : (
        <SelectField
          label={t('macros.pick')}
          value={macroId}
          onChange={(id) => {
            setMacroId(id);
            apply.reset();
            if (id) preview.mutate({ params: { path: { id: ticket.id, macroId: id } } });
            else preview.reset();
          }}
          options={[{ value: '', label: t('macros.choose') }, ...(macros.data ?? []).map((m) => ({ value: m.id, label: m.name }))]}
        />
      )}
      <ErrorMessage error={preview.error ?? apply.error} />
      {shown && (
        <div className="macro-preview">
          <h3>{t('macros.preview')}</h3>
          <p className="entry-meta">
            <span className={`visibility-badge ${shown.visibility}`}>{shown.visibility === 'internal' ? t('reply.internalNote') : t('reply.publicReply')}</span>
            <span>{t('macros.inLocale', { language: t(`layout.languages.${shown.locale}`) })}</span>
          </p>
          <p className="comment-body" lang={shown.locale}>
            {shown.body}
          </p>
          <MacroActions actions={shown.actions} />
          <Button className="button primary" isDisabled={apply.isPending} onPress={() => apply.mutate(path)}>
            {t('macros.apply')}
          </Button>
        </div>
      )}
      {apply.data && (
        <p role="status" className="success">
          {t('macros.applied', { language: t(`layout.languages.${apply.data.locale}`) })}
        </p>
      )}
    </section>
  );
}
