/**
 * A catalog node, shaped as Consul's HTTP API returns it (`/v1/catalog/nodes`,
 * `/v1/catalog/node/:n`). Field names are Consul's PascalCase so the HTTP layer can
 * serialize state objects directly.
 */
export interface Node {
  /** Node UUID; '' when the registrant gave none (Consul allows that for external nodes). */
  ID: string;
  Node: string;
  Address: string;
  Datacenter: string;
  /** e.g. { lan: '10.0.0.1', wan: '198.51.100.1' }. */
  TaggedAddresses: Record<string, string>;
  Meta: Record<string, string>;
  CreateIndex: number;
  ModifyIndex: number;
}
