/**
 * The DataSource for the TypeORM CLI (`npm run migration:run|generate|revert`). The apps build
 * theirs from the same `dataSourceOptions`, through DatabaseModule.
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { validateConfig } from '@helpdesk/config';
import { dataSourceOptions } from './data-source-options';

const config = validateConfig({ REDIS_URL: 'redis://unused', ...process.env });

export default new DataSource(
  dataSourceOptions({ url: config.DATABASE_URL, poolSize: 2, applicationName: 'helpdesk-cli' }),
);
