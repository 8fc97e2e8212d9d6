import { useNavigate } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { Button, Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, type Schemas } from '../../api/client';
import { AttachControl } from '../../ticket/components/attachments';
import { uploadRequest } from '../../ticket/hooks/use-attachments';
import { ErrorMessage } from '../../ui/feedback';
import { useFieldErrors } from '../../ui/field-errors';
import { SelectField, TextField } from '../../ui/fields';
import { usePortalCustomer } from '../portal-session';
import { PortalLink } from './portal-link';
import { UploadProblem } from './upload-problem';

type NewTicket = Schemas['CreateTicketDto'];
const CATEGORIES = ['', 'technical', 'billing', 'subscription_management'] as const;
const PRODUCTS = ['', 'azure', 'microsoft_365', 'dynamics_365', 'other'] as const;
const SEVERITIES = ['P3', 'P1', 'P2', 'P4'] as const;

/**
 * Opens a ticket for the signed-in customer (the portal channel); the requester is the contact when
 * a mailed link signed them in. Chosen files go up once the ticket exists; when they are refused
 * (too large, too many) the ticket is opened all the same, and the page says so and lets the
 * customer choose other files.
 */
export function NewTicketPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const me = usePortalCustomer();
  const [subject, setSubject] = useState('');
  const [description, setDescription] = useState('');
  const [category, setCategory] = useState<(typeof CATEGORIES)[number]>('');
  const [product, setProduct] = useState<(typeof PRODUCTS)[number]>('');
  const [severity, setSeverity] = useState<(typeof SEVERITIES)[number]>('P3');
  const [name, setName] = useState(me.contact?.name ?? '');
  const [email, setEmail] = useState(me.contact?.email ?? '');
  const [files, setFiles] = useState<File[]>([]);
  const [opened, setOpened] = useState<{ id: string; number: string } | null>(null);
  const show = (ticketId: string) => void navigate({ to: '/tickets/$ticketId', params: { ticketId } });
  const attach = api.useMutation('post', '/api/v1/tickets/{id}/attachments', { onSuccess: (_files, request) => show(request.params.path.id) });
  const attachTo = (ticket: { id: string; number: string }) => {
    setOpened(ticket);
    attach.mutate(uploadRequest(ticket.id, { visibility: 'public', files }));
  };
  const create = api.useMutation('post', '/api/v1/tickets', {
    onSuccess: (ticket) => (files.length > 0 ? attachTo(ticket) : show(ticket.id)),
  });
  const failure: unknown = create.error;
  const attachFailure: unknown = attach.error;
  const fieldError = useFieldErrors(failure);
  /** The fields whose errors the form shows by the field; any other, under the form. */
  const shown = ['subject', 'description', 'category', 'product', 'severity', 'requester.name', 'requester.email'];

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (opened) return files.length > 0 ? attachTo(opened) : show(opened.id);
    const body: NewTicket = {
      subject,
      description,
      severity,
      requester: { name, email },
      ...(category ? { category } : {}),
      ...(product ? { product } : {}),
    };
    create.mutate({ body });
  };

  return (
    <section className="page portal-page" aria-labelledby="new-ticket-title">
      <h1 id="new-ticket-title">{t('portal.newTicket.title')}</h1>
      <Form onSubmit={submit} className="form-grid panel" validationBehavior="aria">
        <TextField label={t('portal.newTicket.subject')} value={subject} onChange={setSubject} isRequired error={fieldError('subject', t('portal.newTicket.subject'))} name="subject" />
        <TextField label={t('portal.newTicket.description')} value={description} onChange={setDescription} multiline rows={6} isRequired error={fieldError('description', t('portal.newTicket.description'))} name="description" />
        <div className="inline">
          <SelectField label={t('portal.newTicket.category')} value={category} onChange={setCategory} error={fieldError('category', t('portal.newTicket.category'))} options={CATEGORIES.map((c) => ({ value: c, label: c ? t(`category.${c}`) : t('portal.newTicket.notSure') }))} />
          <SelectField label={t('portal.newTicket.product')} value={product} onChange={setProduct} error={fieldError('product', t('portal.newTicket.product'))} options={PRODUCTS.map((p) => ({ value: p, label: p ? t(`product.${p}`) : t('portal.newTicket.notSure') }))} />
          <SelectField label={t('portal.newTicket.severity')} value={severity} onChange={setSeverity} error={fieldError('severity', t('portal.newTicket.severity'))} options={SEVERITIES.map((s) => ({ value: s, label: t(`priority.${s}`) }))} />
        </div>
        <div className="inline">
          <TextField label={t('portal.newTicket.name')} value={name} onChange={setName} isRequired error={fieldError('requester.name', t('portal.newTicket.name'))} name="name" />
          <TextField label={t('portal.newTicket.email')} type="email" value={email} onChange={setEmail} isRequired error={fieldError('requester.email', t('portal.newTicket.email'))} name="email" />
        </div>
        <AttachControl files={files} onChange={setFiles} />
        <ErrorMessage error={failure} shown={shown} />
        {opened && attachFailure ? (
          <div className="notice">
            <p>
              {t('portal.attachments.openedWithout', { number: opened.number })}{' '}
              <PortalLink to="/tickets/$ticketId" params={{ ticketId: opened.id }}>
                {t('portal.attachments.goToTicket')}
              </PortalLink>
            </p>
            <UploadProblem error={attachFailure} />
          </div>
        ) : null}
        <Button type="submit" className="button primary" isDisabled={create.isPending || attach.isPending}>
          {opened ? t('portal.attachments.attachAgain') : t('portal.newTicket.submit')}
        </Button>
      </Form>
    </section>
  );
}
