import { expect } from 'chai';
import { AS_SERVER, type FireRequest, type UserEvent, type UserEventsPort } from '@proconsul/kernel';
import { eventFireHandler } from './event-fire-handler.js';

describe('Internal.EventFire (a user event for another datacenter, run by its server)', () => {
  const fired: FireRequest[] = [];
  const events = {
    fire: async (r: FireRequest) => {
      fired.push(r);
      return { ...r, ID: 'id', Version: 1, LTime: 0 } as UserEvent;
    },
  } as unknown as UserEventsPort;
  const h = eventFireHandler(() => events);

  it("needs event:write on the event's own name, checked where it runs", () => {
    expect(h.access).to.include({ resource: 'event', access: 'write' });
    expect(h.access!.segment!({ Name: 'deploy' })).to.equal('deploy');
  });

  it('fires what it was given and refuses malformed wire arguments with a 400', async () => {
    await h.handle({ Name: 'deploy', Payload: new Uint8Array([1]), NodeFilter: 'web.*' }, AS_SERVER);
    expect(fired.at(-1)).to.deep.equal({
      Name: 'deploy',
      Payload: new Uint8Array([1]),
      NodeFilter: 'web.*',
      ServiceFilter: '',
      TagFilter: '',
    });
    for (const bad of [{}, { Name: '' }, { Name: 'x', Payload: 'text' }, { Name: 'x', TagFilter: 3 }]) {
      const err = await h.handle(bad, AS_SERVER).catch((e: { statusCode?: number }) => e);
      expect((err as { statusCode?: number }).statusCode, JSON.stringify(bad)).to.equal(400);
    }
  });
});
