import { commandGroup } from './support/command-group.js';
import { servicesDeregisterCommand } from './services-deregister-command.js';
import { servicesRegisterCommand } from './services-register-command.js';

export const servicesCommand = commandGroup('services', 'Interact with services', 'services', [
  servicesDeregisterCommand,
  servicesRegisterCommand,
]);
