import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../runtime/config/load.js';

const base = { connections: {}, flows: [{ file: 'mappings/orders.map' }] };

describe('notify config', () => {
  it('reads notify.webhook with defaults; the environment wins; a typo is refused', () => {
    expect(parseConfig(base, '/x/mapline.config.json').notify).toBeUndefined();
    expect(parseConfig({ ...base, notify: { webhook: 'https://hooks.example/a' } }, '/x/c.json').notify).toEqual({ webhook: 'https://hooks.example/a', summaryThreshold: 5, attempts: 4 });
    expect(parseConfig({ ...base, notify: { summaryThreshold: 2 } }, '/x/c.json', { MAPLINE_NOTIFY_WEBHOOK: 'https://env.example/b' }).notify).toEqual({ webhook: 'https://env.example/b', summaryThreshold: 2, attempts: 4 });
    expect(() => parseConfig({ ...base, notify: { webhok: 'x' } }, '/x/c.json')).toThrow(/notify: must NOT have additional properties "webhok"/);
  });
});
