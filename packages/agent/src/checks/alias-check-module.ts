import type { ContainerModuleLoadOptions } from 'inversify';
import { CheckType, ClusterRpcPort, RuntimeConfig } from '@proconsul/kernel';
import { AliasCheckType } from './alias-check-type.js';

/** The built-in alias check type, which follows the catalog through the router every agent has. */
export function bindAliasCheck(bind: ContainerModuleLoadOptions['bind']): void {
  bind<CheckType>(CheckType)
    .toDynamicValue(
      (ctx) => new AliasCheckType(ctx.get<RuntimeConfig>(RuntimeConfig).nodeName, ctx.get<ClusterRpcPort>(ClusterRpcPort)),
    )
    .inSingletonScope();
}
