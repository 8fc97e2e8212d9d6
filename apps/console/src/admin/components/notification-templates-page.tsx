import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { Button, Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, type Schemas } from '../../api/client';
import { TextField } from '../../ui/fields';
import { useFieldErrors } from '../../ui/field-errors';
import { Empty, ErrorMessage, QueryState } from '../../ui/feedback';

type Template = Schemas['NotificationTemplateDto'];

const LIST = ['get', '/api/v1/notification-templates'] as const;
/** How long typing pauses before the preview is asked for again. */
const PREVIEW_DELAY_MS = 300;

/** The customer notifications' wording per kind and language: edited, previewed live, reset to the built-in. */
export function NotificationTemplatesPage() {
  const { t } = useTranslation();
  const templates = api.useQuery(...LIST);
  const [selected, setSelected] = useState<string | null>(null);
  const keyOf = (tpl: Template) => `${tpl.kind}:${tpl.locale}`;
  return (
    <section className="page settings-page" aria-labelledby="templates-title">
      <h1 id="templates-title">{t('templates.title')}</h1>
      <p>{t('templates.intro')}</p>
      <QueryState query={templates}>
        {(items) => (
          <div className="master-detail">
            <ul className="item-list" aria-label={t('templates.list')}>
              {items.map((tpl) => (
                <li key={keyOf(tpl)}>
                  <Button className={`item${keyOf(tpl) === selected ? ' selected' : ''}`} onPress={() => setSelected(keyOf(tpl))} aria-current={keyOf(tpl) === selected ? 'true' : undefined}>
                    {t(`templates.kind.${tpl.kind}`)} — {t(`layout.languages.${tpl.locale}`)}
                    <span className={`pill ${tpl.customised ? 'on' : 'off'}`}>{tpl.customised ? t('templates.customised') : t('templates.builtIn')}</span>
                  </Button>
                </li>
              ))}
            </ul>
            <div>
              {(() => {
                const tpl = items.find((i) => keyOf(i) === selected);
                return tpl ? <TemplateEditor key={keyOf(tpl) + (tpl.updatedAt ?? 'built-in')} template={tpl} /> : <Empty>{t('templates.pick')}</Empty>;
              })()}
            </div>
          </div>
        )}
      </QueryState>
    </section>
  );
}

function TemplateEditor({ template }: { template: Template }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [subject, setSubject] = useState(template.subject);
  const [body, setBody] = useState(template.body);
  const refresh = () => queryClient.invalidateQueries({ queryKey: [...LIST] });
  const path = { params: { path: { kind: template.kind, locale: template.locale } } };
  const save = api.useMutation('put', '/api/v1/notification-templates/{kind}/{locale}', { onSuccess: () => void refresh() });
  const reset = api.useMutation('delete', '/api/v1/notification-templates/{kind}/{locale}', { onSuccess: () => void refresh() });
  const preview = api.useMutation('post', '/api/v1/notification-templates/{kind}/{locale}/preview');
  const { mutate: renderPreview } = preview;

  const { kind, locale } = template;
  useEffect(() => {
    const timer = setTimeout(() => renderPreview({ params: { path: { kind, locale } }, body: { subject, body } }), PREVIEW_DELAY_MS);
    return () => clearTimeout(timer);
  }, [kind, locale, subject, body, renderPreview]);

  // A refused save names its field; so does a draft the preview could not fill. (The client types
  // undocumented error bodies as never: read them as unknown.)
  const failure: unknown = save.error ?? preview.error;
  const resetFailure: unknown = reset.error;
  const fieldError = useFieldErrors(failure);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({ ...path, body: { subject, body } });
  };
  // A refusal belongs to the text that was refused: editing again clears it.
  const edit = (set: (value: string) => void) => (value: string) => {
    set(value);
    save.reset();
  };
  const placeholders = template.placeholders.map((p) => `{{${p}}}`).join(' ');

  return (
    <section className="panel" aria-labelledby="template-editor-title">
      <h2 id="template-editor-title">
        {t(`templates.kind.${template.kind}`)} — {t(`layout.languages.${template.locale}`)}
      </h2>
      <Form onSubmit={submit} className="form-grid">
        <TextField label={t('templates.subject')} value={subject} onChange={edit(setSubject)} isRequired error={fieldError('subject', t('templates.subject'))} name="subject" />
        <TextField label={t('templates.body')} value={body} onChange={edit(setBody)} multiline rows={12} isRequired error={fieldError('body', t('templates.body'))} name="body" description={t('templates.placeholders', { placeholders })} />
        <ErrorMessage error={failure} shown={['subject', 'body']} />
        {resetFailure ? <ErrorMessage error={resetFailure} /> : null}
        <div className="button-row">
          <Button type="submit" className="button primary" isDisabled={save.isPending}>
            {t('common.save')}
          </Button>
          <Button className="button" isDisabled={!template.customised || reset.isPending} onPress={() => reset.mutate(path)}>
            {t('templates.reset')}
          </Button>
          {save.isSuccess && <span role="status">{t('templates.saved')}</span>}
        </div>
      </Form>
      <div className="macro-preview" aria-labelledby="template-preview-title" role="region" aria-live="polite">
        <h3 id="template-preview-title">{t('templates.preview')}</h3>
        {preview.data ? (
          <>
            <p>
              <strong>{t('templates.subject')}:</strong> <span data-testid="preview-subject">{preview.data.subject}</span>
            </p>
            <pre className="template-preview-body" data-testid="preview-body">
              {preview.data.body}
            </pre>
          </>
        ) : (
          <p>{preview.error ? t('templates.previewUnavailable') : t('common.loading')}</p>
        )}
      </div>
    </section>
  );
}
