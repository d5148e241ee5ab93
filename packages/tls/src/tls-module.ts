import { ContainerModule } from 'inversify';
import { TlsConfigurator, type Logger, type RuntimeConfig } from '@proconsul/kernel';
import { FileTlsConfigurator } from './file-tls-configurator.js';

/**
 * The agent's TLS settings from its config, unless a plugin bound its own TlsConfigurator.
 * Load it after the plugins' modules (first of the agent modules). Every agent has TLS
 * settings, even if empty; the files are read when the module loads, so a bad file fails
 * the load before anything starts.
 */
export function tlsModule(config: Pick<RuntimeConfig, 'datacenter' | 'domain' | 'tls'>, logger: Logger): ContainerModule {
  return new ContainerModule(({ bind, isBound }) => {
    if (isBound(TlsConfigurator)) return;
    bind<TlsConfigurator>(TlsConfigurator).toConstantValue(new FileTlsConfigurator(config, logger.named('tls')));
  });
}
