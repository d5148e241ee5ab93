import { ContainerModule } from 'inversify';
import type { ProconsulPlugin } from '@proconsul/kernel';

/** Manifest only: this plugin's issue has not been worked yet, so it provides nothing. */
const plugin: ProconsulPlugin = {
  manifest: { name: 'checks-grpc', version: '0.1.0', provides: [], requires: [], configSchema: { type: 'object' } },
  createModule: () => new ContainerModule(() => {}),
};
export default plugin;
