import { ContainerModule } from 'inversify';
import { CheckType, parseDuration, type ProconsulPlugin } from '@proconsul/kernel';
import { FileAgeCheckType } from './file-age-check-type.js';

export { FileAgeCheckType } from './file-age-check-type.js';
export * from './errors.js';

/** This plugin's entry `config` in plugins.json. */
export interface FileAgeConfig {
  /** MaxAge of checks that give none (Go duration). */
  readonly default_max_age: string;
}

const plugin: ProconsulPlugin<FileAgeConfig> = {
  manifest: {
    name: 'check-file-age',
    version: '0.1.0',
    provides: ['check-type:file_age'],
    requires: [],
    // The kernel validates plugins.json's `config` against this and fills the default.
    configSchema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        default_max_age: {
          type: 'string',
          pattern: '^([0-9]+(\\.[0-9]*)?(ns|us|µs|ms|s|m|h))+$',
          default: '5m', // a cron-style job running every few minutes
        },
      },
    },
  },
  createModule: (config) =>
    new ContainerModule(({ bind }) => {
      bind<CheckType>(CheckType).toConstantValue(new FileAgeCheckType(parseDuration(config.default_max_age)));
    }),
};
export default plugin;
