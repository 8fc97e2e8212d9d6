import { useQuery } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { api } from '../../api/client';
import { useDirectory } from '../../directory/hooks/use-directory';
import { PlanCalendars } from '../plan-calendars';
import type { BusinessClock } from '../sla';

const PLANS_STALE_MS = 5 * 60_000;

/** Every support plan (a handful of rows): their calendars here, a plan's name in the ticket's header. */
export const supportPlansQuery = () => api.queryOptions('get', '/api/v1/support-plans', undefined, { staleTime: PLANS_STALE_MS });

/** The calendar code (Luxon with it), a chunk of its own: the route loaders start it with the page's data. */
export const businessCalendarModuleQuery = { queryKey: ['console', 'business-calendar'], queryFn: () => import('../business-calendar'), staleTime: Infinity, gcTime: Infinity, structuralSharing: false } as const;

/**
 * The business calendar of each ticket's customer: customer -> plan from the directory the inbox has
 * already loaded, every plan from one request (a handful of rows), and the calendar code from a lazily
 * loaded chunk. The ticket list itself carries nothing more per row. Null until all three are there.
 */
export function useBusinessCalendars(): (customerId: string) => BusinessClock | null {
  const { customers } = useDirectory();
  const plans = useQuery(supportPlansQuery());
  const calendarModule = useQuery(businessCalendarModuleQuery);
  const Calendar = calendarModule.data?.BusinessCalendar;

  const calendars = useMemo(() => new PlanCalendars(Calendar, plans.data ?? []), [Calendar, plans.data]);
  const planOf = useMemo(() => new Map(customers.map((customer) => [customer.id, customer.supportPlanId])), [customers]);

  return useCallback((customerId: string) => calendars.of(planOf.get(customerId) ?? ''), [calendars, planOf]);
}
