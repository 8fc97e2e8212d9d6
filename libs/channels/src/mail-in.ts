// The mail-in app's entry to channels (`@helpdesk/channels/mail-in`): the inbound SMTP listener and
// its processing on arrival, without what only the worker runs (the sender, nodemailer, billing's notices).
export { InboundSmtpModule } from './inbound/inbound-smtp.module';
export { InboundSmtpServer } from './inbound/inbound-smtp.server';
export { ARRIVAL_BATCH, InboundMailProcessing, MAX_RECEIVING_AT_ONCE } from './inbound/inbound-mail-processing.service';
