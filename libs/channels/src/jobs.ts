// The worker's entry to channels (`@helpdesk/channels/jobs`): the inbound-email job's parsing of
// mail and the sending of notifications load smtp-server, mailparser and nodemailer, which the API
// never runs — so they stay out of the lib's index, which the API imports.
export * from './channels-jobs.module';
export { ARRIVAL_BATCH, InboundMailProcessing, MAX_RECEIVING_AT_ONCE } from './inbound/inbound-mail-processing.service';
export { AutoAssignmentMail, AUTO_ASSIGNMENT_MAIL_BATCH } from './outbound/auto-assignment-mail.service';
export type { AutoAssignmentMailRun } from './outbound/auto-assignment-mail.service';
