import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Button, Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, type Schemas } from '../../api/client';
import { useDirectory } from '../../directory/hooks/use-directory';
import { parseTags } from '../../inbox/tag-list';
import { PRIORITIES, SETTABLE_STATUSES } from '../../ticket/ticket-values';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { SelectField, TextField } from '../../ui/fields';
import { ErrorMessage } from '../../ui/feedback';
import { MasterDetailPage } from './master-detail-page';

type Macro = Schemas['MacroResponseDto'];
type Actions = Schemas['MacroActionsDto'];

const KEEP = '';
const UNASSIGN = 'none';

/** Macros (canned answers): Spanish and English bodies, who sees the comment, shared or personal, and what they change. */
export function MacrosPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const macros = api.useQuery('get', '/api/v1/macros');
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['get', '/api/v1/macros'] });

  return (
    <MasterDetailPage
      titleId="macros-admin-title"
      title={t('macros.adminTitle')}
      query={macros}
      newLabel={t('macros.new')}
      emptyText={t('macros.none')}
      itemContent={(macro) => (
        <>
          {macro.name}
          <span className="pill">{t(`macros.scope.${macro.scope}`)}</span>
        </>
      )}
      detail={({ item, isNew, select }) => (
        <>
          {isNew && <MacroEditor key="new" macro={null} onSaved={(saved) => void refresh().then(() => select(saved.id))} onDeleted={() => select(null)} />}
          {item && <MacroEditor key={item.id + item.updatedAt} macro={item} onSaved={() => void refresh()} onDeleted={() => void refresh().then(() => select(null))} />}
        </>
      )}
    />
  );
}

function MacroEditor({ macro, onSaved, onDeleted }: { macro: Macro | null; onSaved: (macro: Macro) => void; onDeleted: () => void }) {
  const { t } = useTranslation();
  const { agents } = useDirectory();
  const [name, setName] = useState(macro?.name ?? '');
  const [es, setEs] = useState(macro?.bodies.es ?? '');
  const [en, setEn] = useState(macro?.bodies.en ?? '');
  const [visibility, setVisibility] = useState<Macro['visibility']>(macro?.visibility ?? 'public');
  const [scope, setScope] = useState<Macro['scope']>(macro?.scope ?? 'shared');
  const [status, setStatus] = useState<NonNullable<Actions['status']> | ''>(macro?.actions.status ?? KEEP);
  const [priority, setPriority] = useState<NonNullable<Actions['priority']> | ''>(macro?.actions.priority ?? KEEP);
  const [assignee, setAssignee] = useState(macro?.actions.assigneeId === null ? UNASSIGN : (macro?.actions.assigneeId ?? KEEP));
  const [tags, setTags] = useState((macro?.actions.addTags ?? []).join(', '));
  const [confirmDelete, setConfirmDelete] = useState(false);
  const create = api.useMutation('post', '/api/v1/macros', { onSuccess: onSaved });
  const update = api.useMutation('patch', '/api/v1/macros/{id}', { onSuccess: onSaved });
  const remove = api.useMutation('delete', '/api/v1/macros/{id}', { onSuccess: onDeleted });
  const keep = { value: KEEP, label: t('macros.keep') } as const;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const actions: Actions = {
      ...(status ? { status } : {}),
      ...(priority ? { priority } : {}),
      ...(assignee ? { assigneeId: assignee === UNASSIGN ? null : assignee } : {}),
      ...(parseTags(tags).length ? { addTags: parseTags(tags) } : {}),
    };
    const body = { name, bodies: { es, en }, visibility, scope, actions };
    if (macro) update.mutate({ params: { path: { id: macro.id } }, body });
    else create.mutate({ body });
  };

  return (
    <section className="panel" aria-labelledby="macro-editor-title">
      <h2 id="macro-editor-title">{macro ? macro.name : t('macros.new')}</h2>
      <Form onSubmit={submit} className="form-grid">
        <TextField label={t('macros.name')} value={name} onChange={setName} isRequired />
        <TextField label={t('macros.bodyEs')} value={es} onChange={setEs} multiline rows={4} isRequired description={t('macros.placeholders')} />
        <TextField label={t('macros.bodyEn')} value={en} onChange={setEn} multiline rows={4} isRequired description={t('macros.placeholders')} />
        <SelectField
          label={t('macros.visibility')}
          value={visibility}
          onChange={setVisibility}
          options={[
            { value: 'public', label: t('reply.publicReply') },
            { value: 'internal', label: t('reply.internalNote') },
          ]}
        />
        <SelectField
          label={t('macros.scopeLabel')}
          value={scope}
          onChange={setScope}
          options={[
            { value: 'shared', label: t('macros.scope.shared') },
            { value: 'personal', label: t('macros.scope.personal') },
          ]}
        />
        <fieldset className="macro-actions-fields">
          <legend>{t('macros.actions')}</legend>
          <SelectField label={t('ticket.status')} value={status} onChange={setStatus} options={[keep, ...SETTABLE_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))]} />
          <SelectField label={t('ticket.priority')} value={priority} onChange={setPriority} options={[keep, ...PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) }))]} />
          <SelectField
            label={t('ticket.assignee')}
            value={assignee}
            onChange={setAssignee}
            options={[keep, { value: UNASSIGN, label: t('ticket.unassigned') }, ...agents.map((a) => ({ value: a.id, label: a.name }))]}
          />
          <TextField label={t('bulk.addTags')} value={tags} onChange={setTags} placeholder="vip, outlook" />
        </fieldset>
        <ErrorMessage error={create.error ?? update.error ?? remove.error} />
        <div className="button-row">
          <Button type="submit" className="button primary" isDisabled={create.isPending || update.isPending}>
            {t('common.save')}
          </Button>
          {macro && (
            <Button className="button danger" onPress={() => setConfirmDelete(true)}>
              {t('common.delete')}
            </Button>
          )}
        </div>
      </Form>
      {macro && (
        <ConfirmDialog isOpen={confirmDelete} onOpenChange={setConfirmDelete} title={t('macros.deleteTitle', { name: macro.name })} confirmLabel={t('common.delete')} onConfirm={() => remove.mutate({ params: { path: { id: macro.id } } })} />
      )}
    </section>
  );
}
