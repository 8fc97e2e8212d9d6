import { useRef, useState, type DragEvent } from 'react';
import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { disguised } from '../disguised';
import { downloadUrl, type Attachment } from '../hooks/use-attachments';

/** A size as people read it: 512 B, 3.4 KB, 12.0 MB. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** The files of a comment (or of the ticket itself): download links, and why a refused one is not there. */
export function AttachmentList({ ticketId, attachments }: { ticketId: string; attachments: Attachment[] }) {
  const { t } = useTranslation();
  if (attachments.length === 0) return null;
  return (
    <ul className="attachment-list" aria-label={t('attachments.title')}>
      {attachments.map((a) => (
        <li key={a.id} className={`attachment ${a.status}`}>
          {a.status === 'stored' ? (
            <a href={downloadUrl(ticketId, a.id)} download={a.fileName}>
              {a.fileName}
            </a>
          ) : (
            <span>{a.fileName}</span>
          )}{' '}
          <span className="attachment-meta">
            {a.status === 'stored' && a.size !== null ? formatSize(a.size) : t('attachments.refused', { reason: a.refusedReason ?? '' })}
          </span>
          {disguised(a) && (
            <span className="attachment-note" role="note">
              {t('attachments.disguised', { type: a.contentType, declared: a.declaredType })}
            </span>
          )}
        </li>
      ))}
    </ul>
  );
}

/**
 * Files chosen for the next reply: dropped anywhere on the zone or picked with the button (the
 * keyboard's and screen readers' way in), each removable before sending.
 */
export function AttachControl({ files, onChange }: { files: File[]; onChange: (files: File[]) => void }) {
  const { t } = useTranslation();
  const [over, setOver] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const add = (more: File[]) => onChange([...files, ...more]);
  const accept = (event: DragEvent) => {
    if (!event.dataTransfer.types.includes('Files')) return;
    event.preventDefault();
    setOver(true);
  };
  const drop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    add(Array.from(event.dataTransfer.files));
  };
  return (
    <div className="attach-control">
      <div className={`drop-zone${over ? ' over' : ''}`} onDragEnter={accept} onDragOver={accept} onDragLeave={() => setOver(false)} onDrop={drop}>
        <span>{t('attachments.dropHere')}</span>{' '}
        <Button
          className="button"
          onPress={() => {
            // Emptied first, so that choosing the same file again is a change too (as React Aria's FileTrigger does).
            if (input.current) input.current.value = '';
            input.current?.click();
          }}
        >
          {t('attachments.choose')}
        </Button>
        {/* Hidden by its attribute, not by an inline style (React Aria's FileTrigger): the page's CSP refuses those in the server's HTML. */}
        <input ref={input} type="file" multiple hidden onChange={(event) => add(Array.from(event.currentTarget.files ?? []))} />
      </div>
      {files.length > 0 && (
        <ul className="attachment-list pending" aria-label={t('attachments.chosen')}>
          {files.map((file, index) => (
            <li key={`${file.name}-${index}`}>
              {file.name} <span className="attachment-meta">{formatSize(file.size)}</span>{' '}
              <Button className="button link" aria-label={t('attachments.remove', { name: file.name })} onPress={() => onChange(files.filter((_, i) => i !== index))}>
                ×
              </Button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
