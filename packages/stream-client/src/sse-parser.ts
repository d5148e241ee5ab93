export interface SseFrame {
  readonly event: string;
  readonly id: string | undefined;
  readonly data: string;
}

/**
 * Incremental Server-Sent Events parser (the subset /v1/stream sends: `event`, `id`, `data`,
 * comment lines). Feed it text as it arrives; it returns the complete frames.
 */
export class SseParser {
  private buf = '';

  feed(text: string): SseFrame[] {
    this.buf += text.replace(/\r\n?/g, '\n');
    const out: SseFrame[] = [];
    let i: number;
    while ((i = this.buf.indexOf('\n\n')) >= 0) {
      const block = this.buf.slice(0, i);
      this.buf = this.buf.slice(i + 2);
      let event = 'message';
      let id: string | undefined;
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line === '' || line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') event = value;
        else if (field === 'id') id = value;
        else if (field === 'data') data.push(value);
      }
      if (data.length) out.push({ event, id, data: data.join('\n') });
    }
    return out;
  }
}
