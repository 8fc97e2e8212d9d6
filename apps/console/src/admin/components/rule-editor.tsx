import { useState, type FormEvent } from 'react';
import { Button, Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, type Schemas } from '../../api/client';
import { CATEGORIES, CHANNELS, PRIORITIES, PRODUCTS } from '../../ticket/ticket-values';
import { ChoiceGroup, SelectField, Switch, TextField } from '../../ui/fields';
import { ErrorMessage } from '../../ui/feedback';
import { useFieldErrors } from '../../ui/field-errors';
import { bodyOf, useRuleDraft } from '../hooks/use-rule-draft';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { ImpactPreview } from './impact-preview';

type Rule = Schemas['TriageRuleResponseDto'];
/** The customer's billing status at triage; a customer without a billing account matches none. */
const BILLING_STATUSES = ['current', 'overdue', 'suspended'] as const satisfies readonly NonNullable<Schemas['RuleConditionsDto']['billingStatus']>[number][];

/**
 * Edits one rule. A new rule is saved switched off; its impact on the last tickets is shown before
 * it is switched on, and again after each change (the preview reads the saved rule).
 */
export function RuleEditor({ rule, nextPosition, onSaved, onDeleted }: { rule: Rule | null; nextPosition: number; onSaved: (rule: Rule) => void; onDeleted: () => void }) {
  const { t } = useTranslation();
  const { draft, set } = useRuleDraft(rule, nextPosition);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const create = api.useMutation('post', '/api/v1/triage-rules', { onSuccess: onSaved });
  const update = api.useMutation('patch', '/api/v1/triage-rules/{id}', { onSuccess: onSaved });
  const remove = api.useMutation('delete', '/api/v1/triage-rules/{id}', { onSuccess: onDeleted });
  const saving = create.isPending || update.isPending;
  const failure = create.error ?? update.error;
  const fieldError = useFieldErrors(failure);
  const label =
    (kind: string) =>
    <V extends string>(value: V) => ({ value, label: t(`${kind}.${value as string}`) });
  const unset = { value: '' as const, label: t('rules.leave') };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body = bodyOf(draft);
    if (rule) update.mutate({ params: { path: { id: rule.id } }, body });
    else create.mutate({ body });
  };

  return (
    <section className="panel" aria-labelledby="rule-editor-title">
      <h2 id="rule-editor-title">{rule ? t('rules.edit', { name: rule.name }) : t('rules.new')}</h2>
      <Form onSubmit={submit} className="form-grid" validationBehavior="aria">
        <TextField label={t('rules.name')} value={draft.name} onChange={(v) => set('name', v)} isRequired error={fieldError('name', t('rules.name'))} />
        <TextField label={t('rules.position')} type="number" value={draft.position} onChange={(v) => set('position', v)} description={t('rules.positionHelp')} isRequired error={fieldError('position', t('rules.position'))} />
        <Switch isSelected={draft.enabled} onChange={(v) => set('enabled', v)}>
          {t('rules.enabled')}
        </Switch>
        <Switch isSelected={draft.stopOnMatch} onChange={(v) => set('stopOnMatch', v)}>
          {t('rules.stopOnMatch')}
        </Switch>
        <fieldset>
          <legend>{t('rules.when')}</legend>
          <TextField label={t('rules.anyKeywords')} value={draft.anyKeywords} onChange={(v) => set('anyKeywords', v)} description={t('rules.keywordsHelp')} />
          <TextField label={t('rules.allKeywords')} value={draft.allKeywords} onChange={(v) => set('allKeywords', v)} />
          <TextField label={t('rules.requesterDomain')} value={draft.requesterDomain} onChange={(v) => set('requesterDomain', v)} />
          <ChoiceGroup label={t('ticket.category')} value={draft.category} onChange={(v) => set('category', v)} options={CATEGORIES.map(label('category'))} />
          <ChoiceGroup label={t('ticket.product')} value={draft.product} onChange={(v) => set('product', v)} options={PRODUCTS.map(label('product'))} />
          <ChoiceGroup label={t('ticket.channel')} value={draft.channel} onChange={(v) => set('channel', v)} options={CHANNELS.map(label('channel'))} />
          <ChoiceGroup label={t('ticket.severity')} value={draft.severity} onChange={(v) => set('severity', v)} options={PRIORITIES.map(label('priority'))} />
          <ChoiceGroup label={t('rules.billingStatus')} value={draft.billingStatus} onChange={(v) => set('billingStatus', v)} options={BILLING_STATUSES.map(label('billing'))} />
        </fieldset>
        <fieldset>
          <legend>{t('rules.then')}</legend>
          <SelectField label={t('ticket.category')} value={draft.setCategory} onChange={(v) => set('setCategory', v)} options={[unset, ...CATEGORIES.map(label('category'))]} />
          <SelectField label={t('ticket.product')} value={draft.setProduct} onChange={(v) => set('setProduct', v)} options={[unset, ...PRODUCTS.map(label('product'))]} />
          <SelectField label={t('ticket.priority')} value={draft.setPriority} onChange={(v) => set('setPriority', v)} options={[unset, ...PRIORITIES.map(label('priority'))]} />
          <TextField label={t('ticket.queue')} value={draft.setQueue} onChange={(v) => set('setQueue', v)} />
          <TextField label={t('ticket.tags')} value={draft.setTags} onChange={(v) => set('setTags', v)} />
          <SelectField
            label={t('diagnosis.scope')}
            value={draft.setInScope}
            onChange={(v) => set('setInScope', v as '' | 'yes' | 'no')}
            options={[unset, { value: 'yes', label: t('diagnosis.inScope') }, { value: 'no', label: t('diagnosis.outOfScope') }]}
          />
          <TextField label={t('rules.summary')} value={draft.summary} onChange={(v) => set('summary', v)} multiline rows={2} />
          <TextField label={t('diagnosis.runbook')} type="url" value={draft.runbookUrl} onChange={(v) => set('runbookUrl', v)} />
        </fieldset>
        <ErrorMessage error={create.error ?? update.error ?? remove.error} shown={failure ? ['name', 'position'] : []} />
        <div className="button-row">
          <Button type="submit" className="button primary" isDisabled={saving}>
            {rule ? t('common.save') : t('rules.saveDisabled')}
          </Button>
          {rule && (
            <Button className="button danger" onPress={() => setConfirmDelete(true)}>
              {t('common.delete')}
            </Button>
          )}
        </div>
      </Form>
      {rule && <ImpactPreview rule={rule} onEnabled={onSaved} />}
      {rule && (
        <ConfirmDialog
          isOpen={confirmDelete}
          onOpenChange={setConfirmDelete}
          title={t('rules.deleteTitle', { name: rule.name })}
          confirmLabel={t('common.delete')}
          onConfirm={() => remove.mutate({ params: { path: { id: rule.id } } })}
        />
      )}
    </section>
  );
}
