import { useQueryClient } from '@tanstack/react-query';
import { api, type Schemas } from '../../api/client';

export type Attachment = Schemas['AttachmentResponseDto'];

/** Where the browser downloads a file from (the session cookie goes with it; the API makes it a download). */
export const downloadUrl = (ticketId: string, attachmentId: string) => `/api/v1/tickets/${encodeURIComponent(ticketId)}/attachments/${encodeURIComponent(attachmentId)}`;

/** The ticket's attachments (those of tickets merged into it included), and an upload that refreshes them. */
export function useAttachments(ticketId: string) {
  const queryClient = useQueryClient();
  const path = { params: { path: { id: ticketId } } };
  const list = api.useQuery('get', '/api/v1/tickets/{id}/attachments', path);
  const refresh = () => queryClient.invalidateQueries({ queryKey: api.queryOptions('get', '/api/v1/tickets/{id}/attachments', path).queryKey });
  return { list, refresh };
}

export interface UploadInput {
  body?: string;
  visibility: 'public' | 'internal';
  files: File[];
}

/** What the upload mutation takes for these files, sent as multipart/form-data (the browser sets the boundary). */
export const uploadRequest = (ticketId: string, input: UploadInput) => ({
  params: { path: { id: ticketId } },
  body: { visibility: input.visibility, body: input.body, files: [] },
  bodySerializer: () => {
    const form = new FormData();
    form.append('visibility', input.visibility);
    if (input.body) form.append('body', input.body);
    for (const file of input.files) form.append('files', file, file.name);
    return form;
  },
});

/** Files with a new comment (or, without a body, on the ticket itself). */
export function useUpload(ticketId: string, onDone: () => void) {
  const upload = api.useMutation('post', '/api/v1/tickets/{id}/attachments', { onSuccess: onDone });
  const send = (input: UploadInput) => upload.mutate(uploadRequest(ticketId, input));
  return { upload, send };
}
