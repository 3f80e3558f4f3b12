import { describe, expect, it } from 'vitest';
import { describeFailure, precheck } from './uploader';

describe('precheck', () => {
  it('accepts the formats the server takes, by type or by name', () => {
    expect(precheck({ name: 'a.jpg', type: 'image/jpeg', size: 10 }, null)).toBeNull();
    expect(precheck({ name: 'IMG_1.HEIC', type: '', size: 10 }, null)).toBeNull();
    expect(precheck({ name: 'scan.tif', type: 'image/tiff', size: 10 }, 100)).toBeNull();
  });

  it('refuses other types, empty files and files over the limit with a reason', () => {
    expect(precheck({ name: 'logo.svg', type: 'image/svg+xml', size: 10 }, null)).toMatch(/SVG/);
    expect(precheck({ name: 'notes.pdf', type: 'application/pdf', size: 10 }, null)).toMatch(
      /^Unsupported file type \(application\/pdf\)/,
    );
    expect(precheck({ name: 'a.jpg', type: 'image/jpeg', size: 0 }, null)).toBe('The file is empty');
    expect(precheck({ name: 'a.jpg', type: 'image/jpeg', size: 3_000_000 }, 1_000_000)).toBe(
      'Too large: 3.0 MB, the limit is 1.0 MB',
    );
  });
});

describe('describeFailure', () => {
  it('names the three refusals a user can act on', () => {
    expect(describeFailure(413, { kind: 'quota-exceeded', detail: 'Quota is 1 GB' })).toEqual({
      message: 'Over your storage quota: Quota is 1 GB',
      retryable: false,
    });
    expect(describeFailure(413, { kind: 'payload-too-large', detail: '' }).message).toBe('Too large');
    expect(describeFailure(415, null).message).toBe('Unsupported file type');
  });

  it('lets network and server trouble be retried', () => {
    expect(describeFailure(0, null).retryable).toBe(true);
    expect(describeFailure(503, null).retryable).toBe(true);
    expect(describeFailure(500, null).retryable).toBe(true);
    expect(describeFailure(422, null).retryable).toBe(false);
  });
});
