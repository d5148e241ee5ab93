import { commandGroup } from './support/command-group.js';
import { catalogDatacentersCommand } from './catalog-datacenters-command.js';
import { catalogNodesCommand } from './catalog-nodes-command.js';
import { catalogServicesCommand } from './catalog-services-command.js';

export const catalogCommand = commandGroup('catalog', 'Interact with the catalog', 'catalog', [
  catalogDatacentersCommand,
  catalogNodesCommand,
  catalogServicesCommand,
]);
