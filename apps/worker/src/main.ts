import 'reflect-metadata';
import { runHeadlessApp } from '@helpdesk/app-process';
import { WorkerModule } from './worker.module';

runHeadlessApp(WorkerModule, 'worker');
