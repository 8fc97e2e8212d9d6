import { useTranslation } from 'react-i18next';
import { problemOf } from '../../api/problem';
import { formatSize } from '../../ticket/components/attachments';
import { ErrorMessage } from '../../ui/feedback';

/**
 * Why files were not sent, in the customer's words: over the limits the API sends with its 413
 * (each file's size, files per upload), told in their language; any other failure as the API says it.
 */
export function UploadProblem({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const problem = problemOf(error) as (ReturnType<typeof problemOf> & { maxBytes?: number; maxFiles?: number }) | null;
  if (problem?.status === 413 && typeof problem.maxBytes === 'number' && typeof problem.maxFiles === 'number') {
    return (
      <p role="alert" className="error-message">
        {t('portal.attachments.tooLarge', { size: formatSize(problem.maxBytes), count: problem.maxFiles })}
      </p>
    );
  }
  return <ErrorMessage error={error} />;
}
