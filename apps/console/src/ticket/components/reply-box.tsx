import { useEffect, useId, useImperativeHandle, useRef, useState, type FormEvent, type Ref } from 'react';
import { Button, Form, Label, TextArea, TextField } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../ui/feedback';
import { useUpload } from '../hooks/use-attachments';
import { useTicketChanges } from '../hooks/use-ticket';
import { AttachControl } from './attachments';

export type Visibility = 'public' | 'internal';

export interface ReplyBoxHandle {
  focus: (visibility: Visibility) => void;
}

const VISIBILITIES: readonly Visibility[] = ['public', 'internal'];

/**
 * A reply to the customer or an internal note: the choice is a pair of radio buttons above the box,
 * and the whole box (and the button) changes with it, so an internal note never goes out by mistake.
 * Drawn by the server too (a ticket's page by its address): nothing in it is hidden by an inline style,
 * which the page's CSP refuses in HTML — the radios are the browser's own, hidden by a class.
 */
export function ReplyBox({ ticketId, onSent, ref }: { ticketId: string; onSent: () => void; ref?: Ref<ReplyBoxHandle> }) {
  const { t } = useTranslation();
  const [visibility, setVisibility] = useState<Visibility>('public');
  const [body, setBody] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const area = useRef<HTMLTextAreaElement>(null);
  const group = useRef<HTMLDivElement>(null);
  const radioName = useId();
  const sent = () => {
    setBody('');
    setFiles([]);
    onSent();
  };
  const { path, comment } = useTicketChanges(ticketId, sent);
  const { upload, send } = useUpload(ticketId, sent);
  useImperativeHandle(ref, () => ({
    focus: (next) => {
      setVisibility(next);
      area.current?.focus();
    },
  }));

  // What was typed or chosen in the server's HTML before React took it over is in the page, not yet in the state
  // (React keeps a field's value and a radio's check when it hydrates): taken once, so that what is sent is what is shown.
  useEffect(() => {
    const typed = area.current?.value;
    if (typed) setBody(typed);
    const chosen = group.current?.querySelector<HTMLInputElement>('input[type="radio"]:checked')?.value;
    if (chosen === 'public' || chosen === 'internal') setVisibility(chosen);
  }, []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!body.trim()) return;
    // With files, the comment and its files are one upload (one transaction on the API's side).
    if (files.length > 0) send({ body, visibility, files });
    else comment.mutate({ ...path, body: { body, visibility } });
  };

  return (
    <section className={`reply-box ${visibility}`} aria-labelledby="reply-title">
      <h2 id="reply-title">{t('reply.title')}</h2>
      <Form onSubmit={submit}>
        <div ref={group} role="radiogroup" className="visibility-toggle" aria-label={t('reply.visibility')}>
          {VISIBILITIES.map((value) => (
            <label key={value} className={`visibility-option ${value}`}>
              <input type="radio" className="visually-hidden" name={radioName} value={value} checked={visibility === value} onChange={() => setVisibility(value)} />
              {value === 'internal' ? t('reply.internalNote') : t('reply.publicReply')}
            </label>
          ))}
        </div>
        <p className="reply-hint">{visibility === 'internal' ? t('reply.internalHint') : t('reply.publicHint')}</p>
        <TextField className="field" value={body} onChange={setBody}>
          <Label className="visually-hidden">{visibility === 'internal' ? t('reply.internalNote') : t('reply.publicReply')}</Label>
          <TextArea ref={area} rows={5} name="body" />
        </TextField>
        <AttachControl files={files} onChange={setFiles} />
        <ErrorMessage error={comment.error ?? upload.error} />
        <Button type="submit" className={`button ${visibility === 'internal' ? 'internal' : 'primary'}`} isDisabled={comment.isPending || upload.isPending || !body.trim()}>
          {visibility === 'internal' ? t('reply.sendInternal') : t('reply.sendPublic')}
        </Button>
      </Form>
    </section>
  );
}
