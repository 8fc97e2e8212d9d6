import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { api, fetchClient, type Schemas } from '../../api/client';
import { pollWhile } from '../../api/poll-while';
import { problemOf } from '../../api/problem';
import { useCapabilities } from '../../auth/session';
import { Forbidden } from '../../app/forbidden';
import { useDirectory } from '../../directory/hooks/use-directory';
import { Button } from '../../ui/button';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { Empty, ErrorMessage, Loading } from '../../ui/feedback';
import { DateField } from '../../ui/date-field';
import { formatDateTime, formatDay, formatNumber } from '../../ui/format';

type DryRun = Schemas['DunningDryRunDto'];
type Outcome = Schemas['DunningOutcomeDto'];
type RunView = Schemas['DunningRunViewDto'];

const RUNS_KEY = ['get', '/api/v1/dunning/runs'];
const RUNS_LIMIT = 20;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * What the API said about `asOf`, in the reader's language, by its code: a future date for a real
 * run (`afterToday` {today}), or a date it cannot read.
 */
function asOfMessage(error: unknown, t: TFunction): string | undefined {
  const field = problemOf(error)?.errors?.find((e) => e.field === 'asOf');
  if (!field) return undefined;
  const today = field.code === 'afterToday' && typeof field.params?.today === 'string' ? field.params.today : undefined;
  return today ? t('collections.errors.asOfFuture', { today: formatDay(today) }) : t('collections.errors.asOfInvalid');
}

/**
 * Collections (billing_admin, global_admin): preview a dunning run as of a date (any date, nothing
 * written), run it as of today or an earlier date after a confirmation that says what it will do,
 * follow the run until the worker has finished it, and the past runs, newest first.
 */
export function CollectionsPage() {
  const { t } = useTranslation();
  const { capabilities, ready } = useCapabilities();
  const queryClient = useQueryClient();
  // The partner's today (their time zone, not the browser's): the default date, and the latest a real run may have.
  const calendar = api.useQuery('get', '/api/v1/collections-policy/calendar', undefined, { enabled: ready && capabilities.collections });
  const partnerToday = calendar.data?.today;
  const [chosen, setAsOf] = useState<string | null>(null);
  const asOf = chosen ?? partnerToday ?? '';
  const [confirming, setConfirming] = useState(false);
  const runs = api.useQuery('get', '/api/v1/dunning/runs', { params: { query: { limit: RUNS_LIMIT } } }, { enabled: ready && capabilities.collections });

  const preview = useMutation({
    mutationFn: async (date: string): Promise<DryRun> => {
      const { data, error } = await fetchClient.POST('/api/v1/dunning/runs', { body: { asOf: date, dryRun: true } });
      if (error !== undefined || !data || !('applied' in data)) throw error ?? new Error('not a preview');
      return data;
    },
  });
  const run = useMutation({
    mutationFn: async (date: string): Promise<RunView> => {
      const { data, error } = await fetchClient.POST('/api/v1/dunning/runs', { body: { asOf: date, dryRun: false } });
      if (error !== undefined || !data || !('id' in data)) throw error ?? new Error('not a run');
      return data;
    },
  });
  // The run is queued: follow it until the worker has completed it (or it failed).
  const followed = api.useQuery(
    'get',
    '/api/v1/dunning/runs/{id}',
    { params: { path: { id: run.data?.id ?? '' } } },
    { enabled: run.data !== undefined, refetchInterval: pollWhile((polled: RunView) => polled.status === 'queued' || polled.status === 'running', 1000) },
  );
  const current = followed.data ?? run.data;
  const settled = current !== undefined && (current.status === 'completed' || current.status === 'failed');
  useEffect(() => {
    // The past runs gain this one when it is queued, and its figures when it has finished.
    if (run.data) void queryClient.invalidateQueries({ queryKey: RUNS_KEY });
  }, [settled, run.data, queryClient]);

  if (!ready) return <Loading />;
  if (!capabilities.collections) return <Forbidden />;
  if (calendar.isPending) return <Loading />;

  const validDate = DATE.test(asOf);
  const shown = preview.data && preview.variables === asOf ? preview.data : undefined;
  const future = validDate && partnerToday !== undefined && asOf > partnerToday;
  const fieldError = asOfMessage(run.error, t) ?? asOfMessage(preview.error, t);
  const error = run.error ?? preview.error;

  return (
    <section className="page collections" aria-labelledby="collections-title">
      <h1 id="collections-title">{t('collections.title')}</h1>
      <p className="muted">{t('collections.intro')}</p>
      <form
        className="filters"
        aria-label={t('collections.form')}
        onSubmit={(event) => {
          event.preventDefault();
          if (validDate) preview.mutate(asOf);
        }}
      >
        <DateField
          label={t('collections.asOf')}
          name="asOf"
          value={asOf}
          onChange={(value) => {
            setAsOf(value);
            run.reset();
            preview.reset();
          }}
          isRequired
          error={fieldError}
          description={future ? t('collections.futureHint') : t('collections.runHint')}
        />
        <Button className="button" type="submit" isDisabled={!validDate || preview.isPending}>
          {t('collections.preview')}
        </Button>
        <Button className="button danger" isDisabled={!shown || future || run.isPending} onPress={() => setConfirming(true)}>
          {t('collections.run')}
        </Button>
      </form>
      <ErrorMessage error={calendar.error} />
      {error && (fieldError ? (
        <div role="alert" className="error-message">
          <strong>{t('collections.asOf')}</strong>: {fieldError}
        </div>
      ) : (
        <ErrorMessage error={error} />
      ))}
      {preview.isPending && <Loading label={t('collections.previewing')} />}
      {shown && (
        <section aria-labelledby="collections-preview">
          <h2 id="collections-preview">{t('collections.previewTitle', { date: formatDay(asOf) })}</h2>
          <Counts outcome={shown} />
          <PreviewList outcome={shown} />
        </section>
      )}
      {current && (
        <section aria-labelledby="collections-run">
          <h2 id="collections-run">{t('collections.runTitle', { date: formatDay(current.asOf) })}</h2>
          <p role="status">{t(`collections.statuses.${current.status}`)}</p>
          {current.error && <p className="error-message">{current.error}</p>}
          {current.result && <Counts outcome={current.result} />}
        </section>
      )}
      <ErrorMessage error={followed.error} />
      {shown && (
        <ConfirmDialog
          isOpen={confirming}
          onOpenChange={setConfirming}
          title={t('collections.confirmTitle', { date: formatDay(asOf) })}
          confirmLabel={t('collections.run')}
          onConfirm={() => run.mutate(asOf)}
        >
          <p>
            {t('collections.confirmBody', {
              reminders: shown.applied.remind,
              finalNotices: shown.applied.final_notice,
              suspensions: shown.suspensions,
              subscriptions: shown.subscriptionsSuspended,
              customers: shown.customers,
            })}
          </p>
          <p>{t('collections.confirmNote')}</p>
        </ConfirmDialog>
      )}
      <section aria-labelledby="collections-runs">
        <h2 id="collections-runs">{t('collections.runs')}</h2>
        <ErrorMessage error={runs.error} />
        {runs.isPending ? <Loading /> : runs.data && runs.data.length > 0 ? <RunsTable runs={runs.data} /> : <Empty>{t('collections.noRuns')}</Empty>}
      </section>
    </section>
  );
}

/** Every figure the outcome carries, labelled; zeros too, so a reader sees what was looked at. */
function Counts({ outcome }: { outcome: Outcome }) {
  const { t } = useTranslation();
  const figures: Array<[string, number]> = [
    ['customers', outcome.customers],
    ['reminders', outcome.applied.remind],
    ['finalNotices', outcome.applied.final_notice],
    ['suspensions', outcome.suspensions],
    ['subscriptionsSuspended', outcome.subscriptionsSuspended],
    ['notices', outcome.notices],
    ['deferred', outcome.deferred],
    ['held', outcome.held],
    ['superseded', outcome.superseded],
    ['paused', outcome.skipped.paused],
    ['belowMinimum', outcome.skipped.belowMinimum],
    ['disputed', outcome.skipped.disputed],
  ];
  return (
    <dl className="dunning-counts">
      {figures.map(([key, value]) => (
        <div key={key} data-count={key}>
          <dt>{t(`collections.counts.${key}`)}</dt>
          <dd>{formatNumber(value)}</dd>
        </div>
      ))}
    </dl>
  );
}

function PreviewList({ outcome }: { outcome: DryRun }) {
  const { t } = useTranslation();
  const { customerName } = useDirectory();
  const items = outcome.preview ?? [];
  if (items.length === 0) return <Empty>{t('collections.nothingDue')}</Empty>;
  return (
    <table className="dunning-preview">
      <caption>{t('collections.previewCaption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('collections.customer')}</th>
          <th scope="col">{t('collections.invoice')}</th>
          <th scope="col">{t('collections.action')}</th>
          <th scope="col">{t('collections.step')}</th>
          <th scope="col">{t('collections.stepDueOn')}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((item) => (
          <tr key={`${item.invoice}-${item.policyVersion}-${item.step}`}>
            <td>{customerName(item.customerId)}</td>
            <td>{item.invoice}</td>
            <td>{t(`collections.actions.${item.action}`)}</td>
            <td>{t('collections.stepOf', { step: item.step + 1, version: item.policyVersion })}</td>
            <td>{formatDay(item.stepDueOn)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function RunsTable({ runs }: { runs: RunView[] }) {
  const { t } = useTranslation();
  return (
    <table className="dunning-runs">
      <caption className="visually-hidden">{t('collections.runsCaption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('collections.requested')}</th>
          <th scope="col">{t('collections.asOf')}</th>
          <th scope="col">{t('collections.trigger')}</th>
          <th scope="col">{t('collections.status')}</th>
          <th scope="col">{t('collections.counts.customers')}</th>
          <th scope="col">{t('collections.outcome')}</th>
        </tr>
      </thead>
      <tbody>
        {runs.map((r) => (
          <tr key={r.id} data-status={r.status}>
            <td>{formatDateTime(r.createdAt)}</td>
            <td>{formatDay(r.asOf)}</td>
            <td>
              {t(`collections.triggers.${r.trigger}`)}
              {r.dryRun ? ` · ${t('collections.dryRun')}` : ''}
            </td>
            <td>{t(`collections.statuses.${r.status}`)}</td>
            <td>{r.result ? formatNumber(r.result.customers) : r.customers === null ? '—' : formatNumber(r.customers)}</td>
            <td>
              {r.result
                ? t('collections.outcomeLine', { reminders: r.result.applied.remind, finalNotices: r.result.applied.final_notice, suspensions: r.result.suspensions })
                : (r.error ?? '—')}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
