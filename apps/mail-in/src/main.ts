import 'reflect-metadata';
import { runHeadlessApp } from '@helpdesk/app-process';
import { MailInModule } from './mail-in.module';

// On SIGTERM the listener takes no new command (421: the sender tries again later or elsewhere) and
// answers the messages inside DATA once they are committed (InboundSmtpServer.onModuleDestroy).
runHeadlessApp(MailInModule, 'mail-in');
