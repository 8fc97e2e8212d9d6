/**
 * The support plans' business calendar, the same class the API's SLA clock computes due and warn
 * times with (it imports only Luxon), so the console counts down exactly the business time the
 * monitor counts. Loaded on demand (see useBusinessCalendars): Luxon stays out of the first page's
 * JavaScript.
 */
export { BusinessCalendar } from '../../../../libs/triage/src/sla/business-calendar';
