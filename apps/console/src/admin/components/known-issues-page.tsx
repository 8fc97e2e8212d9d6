import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Button, Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, type Schemas } from '../../api/client';
import { CATEGORIES, PRODUCTS } from '../../ticket/ticket-values';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { SelectField, Switch, TextField } from '../../ui/fields';
import { ErrorMessage } from '../../ui/feedback';
import { MasterDetailPage } from './master-detail-page';

type Issue = Schemas['KnownIssueResponseDto'];

/** Known issues triage matches tickets against (full-text), with their resolution and runbook. */
export function KnownIssuesPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const issues = api.useQuery('get', '/api/v1/known-issues');
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['get', '/api/v1/known-issues'] });

  return (
    <MasterDetailPage
      titleId="issues-title"
      title={t('knownIssues.title')}
      query={issues}
      newLabel={t('knownIssues.new')}
      emptyText={t('knownIssues.empty')}
      itemContent={(issue) => issue.title}
      detail={({ item, isNew, select }) => (
        <>
          {isNew && <IssueEditor key="new" issue={null} onSaved={(saved) => void refresh().then(() => select(saved.id))} onDeleted={() => select(null)} />}
          {item && <IssueEditor key={item.id + item.updatedAt} issue={item} onSaved={() => void refresh()} onDeleted={() => void refresh().then(() => select(null))} />}
        </>
      )}
    />
  );
}

function IssueEditor({ issue, onSaved, onDeleted }: { issue: Issue | null; onSaved: (issue: Issue) => void; onDeleted: () => void }) {
  const { t } = useTranslation();
  const [title, setTitle] = useState(issue?.title ?? '');
  const [symptoms, setSymptoms] = useState(issue?.symptoms ?? '');
  const [resolution, setResolution] = useState(issue?.resolution ?? '');
  const [product, setProduct] = useState<(typeof PRODUCTS)[number] | ''>(issue?.product ?? '');
  const [category, setCategory] = useState<(typeof CATEGORIES)[number] | ''>(issue?.category ?? '');
  const [runbookUrl, setRunbookUrl] = useState(issue?.runbookUrl ?? '');
  const [inScope, setInScope] = useState(issue?.inScope ?? true);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const create = api.useMutation('post', '/api/v1/known-issues', { onSuccess: onSaved });
  const update = api.useMutation('patch', '/api/v1/known-issues/{id}', { onSuccess: onSaved });
  const remove = api.useMutation('delete', '/api/v1/known-issues/{id}', { onSuccess: onDeleted });
  const any = { value: '' as const, label: t('knownIssues.any') };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const fields = { title, symptoms, resolution, inScope };
    if (issue) {
      // null clears product, category and runbook on an existing issue; the API takes it, but its
      // document does not say so yet (UpdateKnownIssueDto lists them as non-nullable), hence the cast.
      update.mutate({ params: { path: { id: issue.id } }, body: { ...fields, product: product || null, category: category || null, runbookUrl: runbookUrl.trim() || null } as Schemas['UpdateKnownIssueDto'] });
    } else {
      create.mutate({ body: { ...fields, ...(product ? { product } : {}), ...(category ? { category } : {}), ...(runbookUrl.trim() ? { runbookUrl: runbookUrl.trim() } : {}) } });
    }
  };

  return (
    <section className="panel" aria-labelledby="issue-editor-title">
      <h2 id="issue-editor-title">{issue ? issue.title : t('knownIssues.new')}</h2>
      <Form onSubmit={submit} className="form-grid">
        <TextField label={t('knownIssues.issueTitle')} value={title} onChange={setTitle} isRequired />
        <TextField label={t('knownIssues.symptoms')} value={symptoms} onChange={setSymptoms} multiline rows={3} isRequired description={t('knownIssues.symptomsHelp')} />
        <TextField label={t('knownIssues.resolution')} value={resolution} onChange={setResolution} multiline rows={3} isRequired />
        <SelectField label={t('ticket.product')} value={product} onChange={setProduct} options={[any, ...PRODUCTS.map((p) => ({ value: p, label: t(`product.${p}`) }))]} />
        <SelectField label={t('ticket.category')} value={category} onChange={setCategory} options={[any, ...CATEGORIES.map((c) => ({ value: c, label: t(`category.${c}`) }))]} />
        <TextField label={t('diagnosis.runbook')} type="url" value={runbookUrl} onChange={setRunbookUrl} />
        <Switch isSelected={inScope} onChange={setInScope}>
          {t('diagnosis.inScope')}
        </Switch>
        <ErrorMessage error={create.error ?? update.error ?? remove.error} />
        <div className="button-row">
          <Button type="submit" className="button primary" isDisabled={create.isPending || update.isPending}>
            {t('common.save')}
          </Button>
          {issue && (
            <Button className="button danger" onPress={() => setConfirmDelete(true)}>
              {t('common.delete')}
            </Button>
          )}
        </div>
      </Form>
      {issue && (
        <ConfirmDialog isOpen={confirmDelete} onOpenChange={setConfirmDelete} title={t('knownIssues.deleteTitle', { title: issue.title })} confirmLabel={t('common.delete')} onConfirm={() => remove.mutate({ params: { path: { id: issue.id } } })} />
      )}
    </section>
  );
}
