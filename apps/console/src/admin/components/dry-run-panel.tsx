import { useState, type FormEvent } from 'react';
import { Button, Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useTriageWords } from '../../ticket/hooks/use-triage-words';
import { CATEGORIES, PRODUCTS } from '../../ticket/ticket-values';
import { SelectField, TextField } from '../../ui/fields';
import { ErrorMessage } from '../../ui/feedback';

/** Triage a sample ticket with the enabled rules, the classifier and the known issues, writing nothing. */
export function DryRunPanel() {
  const { t } = useTranslation();
  const words = useTriageWords();
  const [subject, setSubject] = useState('');
  const [description, setDescription] = useState('');
  const [email, setEmail] = useState('');
  const [category, setCategory] = useState<(typeof CATEGORIES)[number] | ''>('');
  const [product, setProduct] = useState<(typeof PRODUCTS)[number] | ''>('');
  const dryRun = api.useMutation('post', '/api/v1/triage-rules/dry-run');
  const result = dryRun.data;
  const any = { value: '' as const, label: t('dryRun.notGiven') };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    dryRun.mutate({
      body: {
        subject,
        description,
        ...(email.trim() ? { requesterEmail: email.trim() } : {}),
        ...(category ? { category } : {}),
        ...(product ? { product } : {}),
      },
    });
  };

  return (
    <section className="panel" aria-labelledby="dry-run-title">
      <h2 id="dry-run-title">{t('dryRun.title')}</h2>
      <p className="muted">{t('dryRun.intro')}</p>
      <Form onSubmit={submit} className="form-grid">
        <TextField label={t('ticket.subject')} value={subject} onChange={setSubject} isRequired />
        <TextField label={t('dryRun.description')} value={description} onChange={setDescription} multiline rows={3} isRequired />
        <TextField label={t('dryRun.requesterEmail')} type="email" value={email} onChange={setEmail} />
        <SelectField label={t('ticket.category')} value={category} onChange={setCategory} options={[any, ...CATEGORIES.map((c) => ({ value: c, label: t(`category.${c}`) }))]} />
        <SelectField label={t('ticket.product')} value={product} onChange={setProduct} options={[any, ...PRODUCTS.map((p) => ({ value: p, label: t(`product.${p}`) }))]} />
        <ErrorMessage error={dryRun.error} />
        <Button type="submit" className="button primary" isDisabled={dryRun.isPending || !subject.trim() || !description.trim()}>
          {t('dryRun.run')}
        </Button>
      </Form>
      {result && (
        <div className="dry-run-result" role="status" aria-label={t('dryRun.result')}>
          <h3>{t('dryRun.result')}</h3>
          <dl className="facts">
            {(['category', 'product', 'priority', 'queue'] as const).map((field) => (
              <div key={field}>
                <dt>{t(`ticket.${field}`)}</dt>
                <dd>
                  <strong>{field === 'queue' || field === 'priority' ? result.result[field] : t(`${field}.${result.result[field]}`)}</strong>
                  <span className="muted"> — {words.reason(result.why[field], result.reasons[field])}</span>
                </dd>
              </div>
            ))}
            <div>
              <dt>{t('ticket.tags')}</dt>
              <dd>{result.result.tags.join(', ') || '—'}</dd>
            </div>
            <div>
              <dt>{t('diagnosis.scope')}</dt>
              <dd>{result.result.inScope === true ? t('diagnosis.inScope') : result.result.inScope === false ? t('diagnosis.outOfScope') : t('diagnosis.unknown')}</dd>
            </div>
          </dl>
          <h4>{t('diagnosis.rules')}</h4>
          {result.matchedRules.length === 0 ? (
            <p>{t('dryRun.noRules')}</p>
          ) : (
            <ul>
              {result.matchedRules.map((rule) => (
                <li key={rule.ruleId}>
                  {rule.name} — {rule.set.map((field) => t(`rules.fields.${field}`)).join(', ')}
                  {result.stoppedBy === rule.ruleId ? ` (${t('diagnosis.stopped')})` : ''}
                </li>
              ))}
            </ul>
          )}
          {result.result.diagnosis.suggestions.length > 0 && (
            <>
              <h4>{t('diagnosis.knownIssues')}</h4>
              <ul>
                {result.result.diagnosis.suggestions.map((s) => (
                  <li key={s.knownIssueId}>{s.title}</li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
    </section>
  );
}
